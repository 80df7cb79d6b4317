// What several institution pages read: the catalog's course names (redemptions and credit
// events name a course only by its code) and the consented learners' names (events name a
// learner only by id; a redemption's learner may no longer be readable).
import { useMemo } from "react";
import { useQuery } from "urql";
import { graphql } from "../gql";

/** How long a redemption may be reversed (the accounts service's CB_REDEMPTION_REVERSAL_DAYS
 * default; the API does not tell it: a later attempt is refused with the reason). */
export const REVERSAL_DAYS = 30;

const CourseNames = graphql(`
  query InstitutionCourseNames {
    coursesConnection(first: 100, includeRetired: true) {
      nodes {
        code
        name
      }
    }
  }
`);

/** Course code → its name in the reader's language (the code until the catalog answers). */
export function useCourseNames(): (code: string) => string {
  const [{ data }] = useQuery({ query: CourseNames });
  return useMemo(() => {
    const names = new Map((data?.coursesConnection.nodes ?? []).map((course) => [course.code, course.name]));
    return (code: string) => names.get(code) ?? code;
  }, [data]);
}

export const ConsentedLearners = graphql(`
  query InstitutionLearners($first: Int!, $after: String) {
    me {
      id
      consentedLearners(first: $first, after: $after) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          grantedAt
          expiresAt
          learner {
            id
            displayName
          }
        }
      }
    }
  }
`);

/** Learner id → display name, for the learners who consent now (the first 100). */
export function useLearnerNames(): Map<string, string> {
  const [{ data }] = useQuery({ query: ConsentedLearners, variables: { first: 100, after: null } });
  return useMemo(
    () =>
      new Map(
        (data?.me?.consentedLearners.nodes ?? []).flatMap((consent) =>
          consent.learner ? [[consent.learner.id, consent.learner.displayName] as const] : [],
        ),
      ),
    [data],
  );
}

/** The first characters of an id, for a learner whose name may not be read. */
export function shortId(id: string): string {
  return id.slice(0, 8);
}

/** Layout the stylesheet has no class for (React sets these through the CSSOM: CSP-safe). */
export const row = { display: "flex", justifyContent: "space-between", alignItems: "center", gap: ".75rem", flexWrap: "wrap" } as const;
export const confirmBox = {
  marginTop: ".75rem",
  padding: ".75rem",
  border: "1px solid var(--warn)",
  background: "var(--warn-wash)",
  borderRadius: "var(--radius)",
} as const;
export const okText = { color: "var(--ok)", margin: ".5rem 0 0" } as const;
