import { graphql } from "../gql";

/** Who is signed in: what every area's header and guards read. */
export const MeQuery = graphql(`
  query Me {
    me {
      id
      role
      displayName
    }
  }
`);
