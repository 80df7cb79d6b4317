// The operations the header's inbox link (Badge.tsx) and its live stream (live.tsx)
// send, and the inbox asks the count with too.
import { graphql } from "../gql";

export const NotificationsUnread = graphql(`
  query NotificationsUnread {
    me {
      id
      unreadNotifications
    }
  }
`);

export const NotificationsAdded = graphql(`
  subscription NotificationsAdded {
    notificationAdded {
      id
      kind
      title
      createdAt
    }
  }
`);
