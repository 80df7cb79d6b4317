// The header's link to the inbox with the count of unread messages; the live stream of
// new messages (live.tsx) keeps it up to date. Mounted by the layout for a signed-in
// account, in a chunk of its own: the operations' table (gql/) stays out of the first page.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useQuery } from "urql";
import type { Role } from "../api/session";
import { inboxPath } from "./links";
import { NotificationsUnread } from "./documents";
import { InboxLive } from "./live";
import "./badge.css";

export function InboxBadge({ role }: { role: Role }) {
  const { t } = useTranslation("notifications");
  const [unread, again] = useQuery({ query: NotificationsUnread });
  const count = unread.data?.me?.unreadNotifications ?? 0;
  return (
    <>
      <Link to={inboxPath(role)} className="button small inbox-link" data-testid="inbox-link">
        {t("badge.label")}
        {count > 0 ? (
          <>
            {" "}
            <span className="inbox-count">{count > 99 ? "99+" : count}</span>
            <span className="visually-hidden"> {t("badge.unread")}</span>
          </>
        ) : null}
      </Link>
      <InboxLive toasts={role !== "LEARNER"} onRestart={() => again({ requestPolicy: "network-only" })} />
    </>
  );
}

export default InboxBadge;
