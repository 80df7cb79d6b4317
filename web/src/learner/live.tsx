// The learner's live updates while the portal is open: the credit events of their account
// (certified, credits arrived, a certificate awarded...) each become a toast in the chosen
// language, and every query on screen is asked again so the pages show the news.
// The subscription starts with no `after` (only what happens from now on); when its stream
// ends (the connection's token ran out, the gateway restarted) it starts again from the
// last event seen, and an event already shown is never shown twice.
//
// It is sent by the app's client over its socket (its token, its reconnects, the
// connection banner), by its trusted document's hash.
import { useEffect, useMemo, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { createRequest, useClient, useSubscription, type Client } from "urql";
import { filter, pipe, take, toPromise } from "wonka";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { graphql } from "../gql";
import { useApi } from "../ui/api";
import { credits as formatCredits } from "../ui/format";
import { useToast } from "../ui/toasts";

const LearnerLiveEvents = graphql(`
  subscription LearnerLiveEvents($after: String) {
    creditEvents(after: $after) {
      id
      cursor
      type
      occurredAt
      data
    }
  }
`);

const LearnerLiveOutcome = graphql(`
  query LearnerLiveOutcome($id: ID!) {
    outcome(id: $id) {
      id
      title
    }
  }
`);

const LearnerLiveCourse = graphql(`
  query LearnerLiveCourse($code: String!) {
    searchCatalog(text: $code, first: 5) {
      kind
      code
      name
    }
  }
`);

const LearnerLiveCertificates = graphql(`
  query LearnerLiveCertificates {
    me {
      id
      certificatesConnection(first: 10) {
        nodes {
          serial
          program {
            code
            name
          }
        }
      }
    }
  }
`);

const LearnerLiveRedemptions = graphql(`
  query LearnerLiveRedemptions {
    me {
      id
      redemptionsConnection(first: 20) {
        nodes {
          id
          institution {
            id
            displayName
            institution {
              id
              name
            }
          }
        }
      }
    }
  }
`);

export interface CreditEventLike {
  id: string;
  cursor: string;
  type: string;
  occurredAt?: string;
  data: unknown;
}

type Data = Record<string, unknown>;
type Translate = (key: string, options?: Record<string, unknown>) => string;

/** One answer of a query, or null when it cannot be had (the toast then names codes). */
async function ask<R, V extends Record<string, unknown>>(
  client: Client,
  query: TypedDocumentNode<R, V>,
  variables: V,
  fresh: boolean,
): Promise<R | null> {
  try {
    const result = await pipe(
      client.executeQuery(createRequest(query, variables), { requestPolicy: fresh ? "network-only" : "cache-first" }),
      filter((r) => !r.stale && !r.hasNext),
      take(1),
      toPromise,
    );
    return (result.data as R | undefined) ?? null;
  } catch {
    return null;
  }
}

function text(data: Data, key: string): string | null {
  const value = data[key];
  return typeof value === "string" && value.length > 0 ? value : null;
}

async function titleOf(client: Client, data: Data, t: Translate): Promise<string> {
  const id = text(data, "outcomeId");
  const found = id ? await ask(client, LearnerLiveOutcome, { id }, false) : null;
  const kind = text(data, "kind");
  return found?.outcome?.title ?? (kind ? t(`kind.${kind}`) : t("live.yourResult"));
}

async function courseOf(client: Client, data: Data): Promise<string> {
  const code = text(data, "courseCode") ?? "";
  if (!code) return "";
  const found = await ask(client, LearnerLiveCourse, { code }, false);
  const match = found?.searchCatalog.find((m) => m.kind === "COURSE" && m.code.toLowerCase() === code.toLowerCase());
  return match?.name ?? code;
}

async function programOf(client: Client, data: Data): Promise<string> {
  const serial = text(data, "serial");
  const code = text(data, "programCode") ?? "";
  const found = serial ? await ask(client, LearnerLiveCertificates, {}, true) : null;
  const match = found?.me?.certificatesConnection.nodes.find((c) => c.serial === serial);
  return match?.program.name ?? code;
}

async function institutionOf(client: Client, data: Data): Promise<string | null> {
  const id = text(data, "redemptionId");
  if (!id) return null;
  const found = await ask(client, LearnerLiveRedemptions, {}, true);
  const match = found?.me?.redemptionsConnection.nodes.find((r) => r.id === id);
  return match ? (match.institution.institution?.name ?? match.institution.displayName) : null;
}

/** The toast an event makes, in the language the reader has chosen now. */
export async function messageOf(event: CreditEventLike, client: Client, t: Translate): Promise<string> {
  const data: Data = event.data && typeof event.data === "object" ? (event.data as Data) : {};
  const reason = text(data, "reason");
  const withReason = (message: string) => (reason ? `${message} ${t("live.reason", { reason })}` : message);
  const amount = formatCredits(text(data, "credits") ?? "0");
  switch (event.type) {
    case "certification.approved":
      return t("live.approved", { title: await titleOf(client, data, t) });
    case "certification.rejected":
      return withReason(t("live.rejected", { title: await titleOf(client, data, t) }));
    case "certification.info_requested":
      return withReason(t("live.infoRequested", { title: await titleOf(client, data, t) }));
    case "credits.converted":
      return t("live.converted", { credits: amount, course: await courseOf(client, data) });
    case "credits.redeemed": {
      const [course, institution] = await Promise.all([courseOf(client, data), institutionOf(client, data)]);
      return institution
        ? t("live.redeemedBy", { credits: amount, course, institution })
        : t("live.redeemed", { credits: amount, course });
    }
    case "credits.redemption_reversed":
      return t("live.reversed", { credits: amount, course: await courseOf(client, data) });
    case "credits.expired":
      return t("live.expired", { credits: amount, course: await courseOf(client, data) });
    case "credits.revoked":
      return withReason(t("live.revoked", { credits: amount, course: await courseOf(client, data) }));
    case "certificate.awarded":
      return t("live.awarded", { program: await programOf(client, data), serial: text(data, "serial") ?? "" });
    default:
      return t("live.other");
  }
}

type Received = CreditEventLike[];

/** Every event the stream delivered (the last 50), in order: kept pure, as urql may call it twice. */
function collect(previous: Received | undefined, data: { creditEvents: CreditEventLike }): Received {
  return [...(previous ?? []).slice(-49), data.creditEvents];
}

const RESTART_MS = [1000, 2000, 5000, 10000, 30000];

/** Mounted once in the learner's area; renders nothing itself (the toasts show the news). */
export function LearnerLive() {
  return <LiveEvents client={useClient()} />;
}

/** The subscription (on the provider's client) and its toasts (names asked on `client`). */
function LiveEvents({ client }: { client: Client }) {
  const { t } = useTranslation("consents");
  const api = useApi();
  const toast = useToast();
  // `after` and a generation: a new generation is a new subscription (from `after`)
  const [run, setRun] = useState<{ after: string | null; generation: number }>({ after: null, generation: 0 });
  const variables = useMemo(() => (run.after ? { after: run.after } : {}), [run.after]);
  const context = useMemo(() => ({ generation: run.generation }), [run.generation]);
  const [result] = useSubscription({ query: LearnerLiveEvents, variables, context }, collect);

  const seen = useRef(new Set<string>());
  const lastCursor = useRef<string | null>(null);
  const queue = useRef<Promise<void>>(Promise.resolve());
  const refetchTimer = useRef<ReturnType<typeof setTimeout> | null>(null);
  const failures = useRef(0);
  // the latest of what the handlers use, without restarting the subscription
  const latest = useRef({ client, api, toast, t });
  latest.current = { client, api, toast, t };

  useEffect(() => {
    for (const event of result.data ?? []) {
      if (seen.current.has(event.id)) continue;
      seen.current.add(event.id);
      lastCursor.current = event.cursor;
      failures.current = 0;
      queue.current = queue.current
        .then(async () => {
          const { client: c, toast: show, t: tr } = latest.current;
          show(await messageOf(event, c, tr as Translate));
        })
        .catch(() => undefined); // one toast that could not be made stops none after it
      if (refetchTimer.current !== null) clearTimeout(refetchTimer.current);
      refetchTimer.current = setTimeout(() => {
        refetchTimer.current = null;
        latest.current.api.refetchAll();
      }, 300);
    }
  }, [result.data]);

  // the stream ended (token expired, the gateway restarted, a refusal): start again from the
  // last event seen, waiting longer each time it ends without news
  useEffect(() => {
    if (result.fetching) return;
    const wait = RESTART_MS[Math.min(failures.current, RESTART_MS.length - 1)];
    failures.current += 1;
    const timer = setTimeout(() => {
      setRun((current) => ({ after: lastCursor.current, generation: current.generation + 1 }));
    }, wait);
    return () => clearTimeout(timer);
  }, [result.fetching]);

  useEffect(
    () => () => {
      if (refetchTimer.current !== null) clearTimeout(refetchTimer.current);
    },
    [],
  );

  return null;
}
