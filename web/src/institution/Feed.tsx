// The live credit-event feed of the learners who consent to this institution (the
// `creditEvents` subscription over the portal's WebSocket): newest first, the last 100
// kept in memory for as long as the portal is open, so leaving the page and coming back
// resumes from the last event seen (the missed ones arrive first), as does a dropped line.
import { useEffect, useState, useSyncExternalStore } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { graphql } from "../gql";
import { useOnline } from "../api/connection";
import { useSession } from "../api/session";
import type { Refusal } from "../api/refusals";
import { useApi } from "../ui/api";
import { FormErrors } from "../ui/forms";
import { Empty, Page } from "../ui/Page";
import { credits, instant } from "../ui/format";
import { shortId, useCourseNames, useLearnerNames } from "./shared";

export const KEEP = 100;

const CreditEvents = graphql(`
  subscription InstitutionFeed($after: String) {
    creditEvents(after: $after) {
      id
      cursor
      type
      learnerId
      occurredAt
      data
    }
  }
`);

export interface FeedEvent {
  id: string;
  cursor: string;
  type: string;
  learnerId: string;
  occurredAt: string;
  data: unknown;
}

// the page's memory: the events (newest first) and the cursor to resume from
let events: FeedEvent[] = [];
let resumeFrom: string | null = null;
let owner: string | null = null;
const listeners = new Set<() => void>();

/** The memory belongs to one account: another signing in on this page starts afresh. */
function ownedBy(account: string | null): void {
  if (owner === account) return;
  owner = account;
  events = [];
  resumeFrom = null;
}

export function remember(event: FeedEvent): void {
  if (events.some((known) => known.id === event.id)) return;
  events = [event, ...events].slice(0, KEEP);
  listeners.forEach((listener) => listener());
}

function forget(): void {
  events = [];
  listeners.forEach((listener) => listener());
}

function useEvents(): FeedEvent[] {
  return useSyncExternalStore(
    (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    () => events,
  );
}

/** An event type as a translation key ("credits.redeemed" → "credits_redeemed"). */
function keyOf(type: string): string {
  return type.replace(/\./g, "_");
}

function field(data: unknown, name: string): string {
  const value = data && typeof data === "object" ? (data as Record<string, unknown>)[name] : undefined;
  return value === null || value === undefined ? "" : String(value);
}

/** What the event says, in a sentence of the reader's language. */
export function useSummary(): (event: FeedEvent) => string {
  const { t } = useTranslation("institution");
  const courseName = useCourseNames();
  return (event) => {
    const data = event.data;
    const course = courseName(field(data, "courseCode"));
    const amount = field(data, "credits") ? credits(field(data, "credits")) : "";
    const reason = field(data, "reason");
    switch (event.type) {
      case "certification.approved":
        return field(data, "credentialCode")
          ? t("feed.summary.certification_approvedCode", { code: field(data, "credentialCode") })
          : t("feed.summary.certification_approved");
      case "certification.rejected":
      case "certification.info_requested":
        return t(`feed.summary.${keyOf(event.type)}`, { reason });
      case "credits.converted":
      case "credits.redeemed":
      case "credits.expired":
      case "credits.redemption_reversed":
      case "credits.revoked":
        return t(`feed.summary.${keyOf(event.type)}`, { credits: amount, course, reason });
      case "certificate.awarded":
        return t("feed.summary.certificate_awarded", { serial: field(data, "serial"), programme: field(data, "programCode") });
      default:
        return t("feed.summary.other", { type: event.type });
    }
  };
}

type LineState = "connecting" | "live" | "offline";

/** Whether the feed's socket is connected: its own events, and the page's connection. */
function useLine(): [LineState, () => void] {
  const api = useApi();
  const online = useOnline();
  const [state, setState] = useState<LineState>("connecting");
  useEffect(() => {
    const offConnected = api.socket.on("connected", () => setState("live"));
    const offClosed = api.socket.on("closed", () => setState("offline"));
    const offConnecting = api.socket.on("connecting", () => setState((now) => (now === "live" ? "offline" : now)));
    return () => {
      offConnected();
      offClosed();
      offConnecting();
    };
  }, [api]);
  return [online ? state : "offline", () => setState("live")];
}

export default function Feed() {
  const { t } = useTranslation("institution");
  const session = useSession();
  ownedBy(session.status === "signed-in" ? session.account.id : null);
  const list = useEvents();
  const summary = useSummary();
  const learners = useLearnerNames();
  const [line, heard] = useLine();
  // after a drop, subscribe again from the last event seen: what was missed comes first
  const [after, setAfter] = useState<string | null>(resumeFrom);
  useEffect(() => {
    if (line === "offline") setAfter(events[0]?.cursor ?? resumeFrom);
  }, [line]);
  const api = useApi();
  const [errors, setErrors] = useState<Refusal[]>([]);
  useEffect(() => {
    // straight on the portal's socket, by the document's hash (graphql-ws wants a string
    // query: an empty one, the gateway runs the trusted document the hash names)
    const hash = ((CreditEvents as unknown as { __meta__?: { hash?: string } }).__meta__?.hash ?? "").replace(/^sha256:/, "");
    return api.socket.subscribe<{ creditEvents: FeedEvent }>(
      {
        query: "",
        operationName: "InstitutionFeed",
        variables: { after },
        extensions: { persistedQuery: { version: 1, sha256Hash: hash } },
      },
      {
        next(result) {
          if (result.errors?.length) {
            setErrors(result.errors.map((e) => ({ message: e.message, code: null, field: null })));
            return;
          }
          const event = result.data?.creditEvents;
          if (!event) return;
          setErrors([]);
          remember(event);
          resumeFrom = event.cursor;
          heard();
        },
        error(error) {
          if (Array.isArray(error)) setErrors(error.map((e: { message: string }) => ({ message: e.message, code: null, field: null })));
        },
        complete() {},
      },
    );
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [api, after]);

  const badge =
    line === "live" ? (
      <span className="badge badge-ok" data-testid="feed-live">
        ● {t("feed.live")}
      </span>
    ) : line === "connecting" ? (
      <span className="badge badge-info">{t("feed.connecting")}</span>
    ) : (
      <span className="badge badge-warn">{t("feed.offline")}</span>
    );

  return (
    <Page
      title={t("nav.feed")}
      actions={
        <>
          <span role="status" aria-live="polite">
            {badge}
          </span>
          {list.length > 0 ? (
            <button type="button" className="secondary small" onClick={forget}>
              {t("feed.clear")}
            </button>
          ) : null}
        </>
      }
    >
      <p className="lead">{t("feed.lead", { count: KEEP })}</p>
      <FormErrors refusals={errors} />
      {list.length === 0 ? (
        <Empty>{t("feed.empty")}</Empty>
      ) : (
        <ol className="list" aria-label={t("nav.feed")} data-testid="feed-events">
          {list.map((event) => {
            const name = learners.get(event.learnerId);
            return (
              <li key={event.id}>
                <div>
                  <span className="badge badge-info">{t(`feed.types.${keyOf(event.type)}`, { defaultValue: event.type })}</span>{" "}
                  <span className="muted">{instant(event.occurredAt)}</span>
                </div>
                <div>
                  {name ? (
                    <Link to={`/institution/learners/${event.learnerId}`}>{name}</Link>
                  ) : (
                    <span>{t("feed.aLearner", { id: shortId(event.learnerId) })}</span>
                  )}
                  {": "}
                  {summary(event)}
                </div>
              </li>
            );
          })}
        </ol>
      )}
    </Page>
  );
}
