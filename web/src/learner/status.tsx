// The learner's words for a result's kind and status, and its badge (the status's name
// is always written: colour is never the only signal).
import { useTranslation } from "react-i18next";
import type { OutcomeKind, OutcomeStatus } from "../gql/graphql";

export const KINDS: OutcomeKind[] = [
  "QUALIFICATION_CERTIFICATE",
  "VOCATIONAL_TRAINING",
  "ONLINE_COURSE",
  "ACADEMIC_COURSE",
  "WORK_EXPERIENCE",
  "OTHER",
];

/** Certificates and courses are proven by a document (the outcomes service's rule). */
export const NEEDS_EVIDENCE: ReadonlySet<OutcomeKind> = new Set<OutcomeKind>([
  "QUALIFICATION_CERTIFICATE",
  "VOCATIONAL_TRAINING",
  "ONLINE_COURSE",
  "ACADEMIC_COURSE",
]);

/** Kinds counted in hours of study. */
export const HAS_HOURS: ReadonlySet<OutcomeKind> = new Set<OutcomeKind>([
  "VOCATIONAL_TRAINING",
  "ONLINE_COURSE",
  "ACADEMIC_COURSE",
]);

/** Results not yet decided: the learner may still withdraw them. */
export const WITHDRAWABLE: ReadonlySet<OutcomeStatus> = new Set<OutcomeStatus>(["SUBMITTED", "IN_REVIEW", "NEEDS_INFO"]);

const BADGE: Record<OutcomeStatus, string> = {
  SUBMITTED: "badge-info",
  IN_REVIEW: "badge-info",
  NEEDS_INFO: "badge-warn",
  CERTIFIED: "badge-ok",
  REJECTED: "badge-danger",
  WITHDRAWN: "",
};

export function StatusBadge({ status }: { status: OutcomeStatus }) {
  const { t } = useTranslation("learner");
  return (
    <span className={`badge ${BADGE[status]}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}
