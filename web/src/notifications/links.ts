// Where a message leads: each role's inbox and preferences, and the page of what a
// message is about (its `about`: a type and its key), as that role sees it.
import type { Role } from "../api/session";

export type AboutType = "OUTCOME" | "CASE" | "CONVERSION" | "CERTIFICATE" | "REDEMPTION" | "CONSENT" | "WEBHOOK_ENDPOINT";

/** The area whose routes hold the role's inbox (an admin reads it among the reviewer's pages). */
function area(role: Role): string {
  switch (role) {
    case "LEARNER":
      return "/learner";
    case "INSTITUTION":
      return "/institution";
    default:
      return "/reviewer";
  }
}

export function inboxPath(role: Role): string {
  return `${area(role)}/notifications`;
}

export function preferencesPath(role: Role): string {
  return `${area(role)}/notifications/preferences`;
}

/** The page of what a message is about, or null when the role has none for it. */
export function aboutPath(role: Role, about: { type: string; id: string }): string | null {
  const id = encodeURIComponent(about.id);
  switch (about.type as AboutType) {
    case "OUTCOME":
      return role === "LEARNER" ? `/learner/results/${id}` : null;
    case "CASE":
      // a case's messages name it by its result's id, as the reviewer's case pages do
      return role === "REVIEWER" || role === "ADMIN" ? `/reviewer/cases/${id}` : null;
    case "CONVERSION":
    case "CERTIFICATE":
    case "REDEMPTION":
      if (role === "LEARNER") return "/learner/transcript";
      return role === "INSTITUTION" ? "/institution/redemptions" : null;
    case "CONSENT":
      if (role === "LEARNER") return "/learner/consents";
      return role === "INSTITUTION" ? "/institution" : null;
    case "WEBHOOK_ENDPOINT":
      return role === "INSTITUTION" ? `/institution/webhooks#endpoint-${id}` : null;
    default:
      return null;
  }
}
