// One endpoint's delivery log, newest first, a page at a time: each event sent, its
// webhook-id (the same on every attempt), every attempt (when, HTTP status or none, the
// response time, what went wrong) and where it stands (delivered, retrying and when
// next, failed, cancelled and why, dropped while the endpoint was disabled and its backlog
// full); "Replay" sends again what was queued since a time (the dropped ones too).
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { graphql } from "../gql";
import { refusals } from "../api/refusals";
import { FormErrors, TextField } from "../ui/forms";
import { instant } from "../ui/format";
import { Loading } from "../ui/Page";
import { MoreButton, usePages } from "../ui/Paged";
import { useToast } from "../ui/toasts";

const DeliveriesQuery = graphql(`
  query InstitutionWebhookDeliveries($first: Int, $after: String) {
    me {
      id
      webhookEndpoints {
        id
        deliveries(first: $first, after: $after) {
          totalCount
          pageInfo {
            hasNextPage
            endCursor
          }
          nodes {
            id
            eventId
            eventType
            webhookId
            state
            succeeded
            nextAttemptAt
            cancelledReason
            createdAt
            deliveredAt
            attempts {
              at
              status
              responseMs
              error
            }
          }
        }
      }
    }
  }
`);

const ReplayMutation = graphql(`
  mutation InstitutionWebhooksReplay($endpointId: ID!, $since: DateTime!) {
    replayWebhookDeliveries(endpointId: $endpointId, since: $since)
  }
`);

const PAGE_SIZE = 20;
const STATE_BADGE: Record<string, string> = { SUCCEEDED: "badge-ok", PENDING: "badge-warn", FAILED: "badge-danger", CANCELLED: "badge-info", DROPPED: "badge-danger" };

export interface Delivery {
  id: string;
  eventType: string;
  webhookId: string;
  state: string;
  nextAttemptAt?: string | null;
  cancelledReason?: string | null;
  createdAt: string;
  attempts: { at: string; status?: number | null; responseMs?: number | null; error?: string | null }[];
}

function DeliveryRow({ delivery }: { delivery: Delivery }) {
  const { t } = useTranslation("notifications");
  const queued = delivery.state === "PENDING" && delivery.attempts.length === 0;
  return (
    <tr data-testid="webhook-delivery">
      <td>
        {t(`webhooks.types.${delivery.eventType}`, { defaultValue: delivery.eventType })}
        <br />
        <span className="muted">{instant(delivery.createdAt)}</span>
      </td>
      <td>
        <code>{delivery.webhookId}</code>
      </td>
      <td>
        <strong>{delivery.attempts.length}</strong>
        {delivery.attempts.length > 0 ? (
          <ul className="webhook-attempts">
            {delivery.attempts.map((attempt, index) => (
              <li key={index}>
                {instant(attempt.at)} · {attempt.status ?? t("webhooks.noResponse")}
                {attempt.responseMs !== null && attempt.responseMs !== undefined ? ` · ${t("webhooks.ms", { ms: attempt.responseMs })}` : ""}
                {attempt.error ? <span className="muted"> · {attempt.error}</span> : null}
              </li>
            ))}
          </ul>
        ) : null}
      </td>
      <td>
        <span className={`badge ${STATE_BADGE[delivery.state] ?? "badge-info"}`}>
          {queued ? t("webhooks.queued") : t(`webhooks.state.${delivery.state}`, { defaultValue: delivery.state })}
        </span>
        {delivery.state === "PENDING" && delivery.nextAttemptAt && !queued ? (
          <div className="muted">{t("webhooks.nextAttempt", { when: instant(delivery.nextAttemptAt) })}</div>
        ) : null}
        {delivery.state === "DROPPED" ? <div className="muted">{t("webhooks.droppedWhy")}</div> : null}
        {delivery.cancelledReason ? (
          <div className="muted">{t(`webhooks.cancelled.${delivery.cancelledReason}`, { defaultValue: delivery.cancelledReason })}</div>
        ) : null}
      </td>
    </tr>
  );
}

function DeliveryPage({ endpointId, after, last, onMore }: { endpointId: string; after: string | null; last: boolean; onMore: (cursor: string | null | undefined) => void }) {
  const { t } = useTranslation("notifications");
  const [result] = useQuery({ query: DeliveriesQuery, variables: { first: PAGE_SIZE, after } });
  const page = result.data?.me?.webhookEndpoints.find((endpoint) => endpoint.id === endpointId)?.deliveries;
  if (!page) {
    return (
      <tr>
        <td colSpan={4}>{result.error ? <FormErrors refusals={refusals(result.error).general([])} /> : <Loading />}</td>
      </tr>
    );
  }
  return (
    <>
      {page.nodes.map((delivery) => (
        <DeliveryRow key={delivery.id} delivery={delivery} />
      ))}
      {last ? (
        <tr>
          <td colSpan={4}>
            <MoreButton pageInfo={page.pageInfo} total={page.totalCount} onMore={() => onMore(page.pageInfo.endCursor)} empty={t("webhooks.noDeliveries")} />
          </td>
        </tr>
      ) : null}
    </>
  );
}

/** A datetime-local value ("2026-12-01T08:00") of a day before now, in the reader's zone. */
function dayAgo(): string {
  const then = new Date(Date.now() - 24 * 3600 * 1000);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${then.getFullYear()}-${pad(then.getMonth() + 1)}-${pad(then.getDate())}T${pad(then.getHours())}:${pad(then.getMinutes())}`;
}

function Replay({ endpointId, url, onReplayed }: { endpointId: string; url: string; onReplayed: () => void }) {
  const { t } = useTranslation("notifications");
  const toast = useToast();
  const [since, setSince] = useState(dayAgo);
  const [result, replay] = useMutation(ReplayMutation);
  const shown = refusals(result.error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const at = new Date(since);
    if (Number.isNaN(at.getTime())) return;
    const answer = await replay({ endpointId, since: at.toISOString() });
    if (answer.data) {
      toast(t("webhooks.replayed", { count: answer.data.replayWebhookDeliveries }));
      onReplayed();
    }
  };
  return (
    <form className="webhook-replay" onSubmit={(e) => void submit(e)} noValidate aria-label={t("webhooks.replayOf", { url })}>
      <TextField label={t("webhooks.replaySince")} type="datetime-local" value={since} error={shown.of("since")} onChange={(e) => setSince(e.target.value)} required />
      <button type="submit" className="secondary" disabled={result.fetching}>
        {t("webhooks.replay")}
      </button>
      <FormErrors refusals={shown.general(["since"])} />
    </form>
  );
}

export default function WebhookDeliveries({ endpointId, url }: { endpointId: string; url: string }) {
  const { t } = useTranslation("notifications");
  const pages = usePages();
  const [generation, setGeneration] = useState(0);
  return (
    <div className="webhook-log" data-scroll-x>
      <table className="table">
        <caption>{t("webhooks.logOf", { url })}</caption>
        <thead>
          <tr>
            <th scope="col">{t("webhooks.event")}</th>
            <th scope="col">{t("webhooks.webhookId")}</th>
            <th scope="col">{t("webhooks.attempts")}</th>
            <th scope="col">{t("webhooks.outcome")}</th>
          </tr>
        </thead>
        <tbody key={generation}>
          {pages.afters.map((after, index) => (
            <DeliveryPage key={after ?? ""} endpointId={endpointId} after={after} last={index === pages.afters.length - 1} onMore={pages.more} />
          ))}
        </tbody>
      </table>
      <Replay
        endpointId={endpointId}
        url={url}
        onReplayed={() => {
          pages.reset();
          setGeneration((g) => g + 1);
        }}
      />
    </div>
  );
}
