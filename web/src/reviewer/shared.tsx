// What the reviewer's pages share: the words for a case's status and a result's kind,
// their badges (the status is always written, and overdue is a badge with its word:
// colour is never the only signal), the working days left, and a media query hook
// for the phone layout.
import { useEffect, useMemo, useState, useSyncExternalStore } from "react";
import { useSearchParams } from "react-router";
import { useTranslation } from "react-i18next";
import type { CertificationStatus, OutcomeKind } from "../gql/graphql";

export const STATUSES: CertificationStatus[] = ["PENDING", "IN_REVIEW", "NEEDS_INFO", "APPROVED", "REJECTED", "WITHDRAWN"];
export const DECIDED: CertificationStatus[] = ["APPROVED", "REJECTED", "NEEDS_INFO", "WITHDRAWN"];
export const OPEN: ReadonlySet<CertificationStatus> = new Set<CertificationStatus>(["PENDING", "IN_REVIEW"]);

export const KINDS: OutcomeKind[] = [
  "QUALIFICATION_CERTIFICATE",
  "VOCATIONAL_TRAINING",
  "ONLINE_COURSE",
  "ACADEMIC_COURSE",
  "WORK_EXPERIENCE",
  "OTHER",
];

const BADGE: Record<CertificationStatus, string> = {
  PENDING: "badge-info",
  IN_REVIEW: "badge-info",
  NEEDS_INFO: "badge-warn",
  APPROVED: "badge-ok",
  REJECTED: "badge-danger",
  WITHDRAWN: "",
};

export function StatusBadge({ status }: { status: CertificationStatus }) {
  const { t } = useTranslation("reviewer");
  return (
    <span className={`badge ${BADGE[status]}`} data-status={status}>
      {t(`status.${status}`)}
    </span>
  );
}

export function OverdueBadge() {
  const { t } = useTranslation("reviewer");
  return (
    <span className="badge badge-danger" data-testid="overdue">
      <span aria-hidden="true">⚠ </span>
      {t("overdue")}
    </span>
  );
}

/** "3 working days left", or "2 working days past due". */
export function DaysLeft({ days }: { days: number }) {
  const { t } = useTranslation("reviewer");
  return <>{days < 0 ? t("daysLate", { count: -days }) : t("daysLeft", { count: days })}</>;
}

/** Whether the screen is a phone's (the CSS breakpoint of styles.css, 40rem). */
export function useNarrow(query = "(max-width: 40rem)"): boolean {
  return useSyncExternalStore(
    (listener) => {
      if (typeof window === "undefined" || !window.matchMedia) return () => undefined;
      const list = window.matchMedia(query);
      list.addEventListener("change", listener);
      return () => list.removeEventListener("change", listener);
    },
    () => (typeof window !== "undefined" && window.matchMedia ? window.matchMedia(query).matches : false),
    () => false,
  );
}

/** A file's size as people read it. */
export function fileSize(bytes: number, language: string): string {
  const units = ["B", "KB", "MB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit += 1;
  }
  const shown = new Intl.NumberFormat(language === "en" ? "en-GB" : "zh-CN", { maximumFractionDigits: unit === 0 ? 0 : 1 }).format(value);
  return `${shown} ${units[unit]}`;
}

/** The page's filters in the URL's search params, answering at once: the router applies
 * a change in a transition, and a controlled checkbox would not show its new state
 * until then. */
export function useSearchFilters(): [URLSearchParams, (name: string, value: string | null) => void, () => void] {
  const [params, setParams] = useSearchParams();
  const fromUrl = params.toString();
  const [local, setLocal] = useState(fromUrl);
  useEffect(() => setLocal(fromUrl), [fromUrl]);
  const current = useMemo(() => new URLSearchParams(local), [local]);
  const set = (name: string, value: string | null) => {
    const next = new URLSearchParams(local);
    if (value) next.set(name, value);
    else next.delete(name);
    setLocal(next.toString());
    setParams(next, { replace: true });
  };
  const clear = () => {
    setLocal("");
    setParams(new URLSearchParams(), { replace: true });
  };
  return [current, set, clear];
}
