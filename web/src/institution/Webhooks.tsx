// /institution/webhooks: the institution's webhook endpoints (Standard Webhooks). Register
// one (its URL and the events it receives): its signing secret is shown once, with a copy
// button and a field to select it from; each endpoint shows whether it is enabled (or
// why it was disabled), its events, and lets the institution rotate its secret (shown
// once again), enable it again, delete it (asked once more inline) and open its
// delivery log (WebhookDeliveries.tsx).
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, useQuery } from "urql";
import { graphql } from "../gql";
import type { WebhookEventType } from "../gql/graphql";
import { refusals } from "../api/refusals";
import { FormErrors, TextField } from "../ui/forms";
import { instant } from "../ui/format";
import { Card, Empty, Loading, Page } from "../ui/Page";
import { useToast } from "../ui/toasts";
import WebhookDeliveries from "./WebhookDeliveries";
import "../notifications/notifications.css";

graphql(`
  fragment InstitutionWebhookEndpoint on WebhookEndpoint {
    id
    url
    eventTypes
    enabled
    disabledReason
    disabledAt
    createdAt
    previousSecretExpiresAt
  }
`);

const WebhooksList = graphql(`
  query InstitutionWebhooks {
    me {
      id
      webhookEndpoints {
        ...InstitutionWebhookEndpoint
      }
    }
    webhookEventTypes
  }
`);

const WebhooksRegister = graphql(`
  mutation InstitutionWebhooksRegister($url: String!, $eventTypes: [WebhookEventType!]!) {
    registerWebhookEndpoint(url: $url, eventTypes: $eventTypes) {
      secret
      endpoint {
        ...InstitutionWebhookEndpoint
      }
    }
  }
`);

const WebhooksRotate = graphql(`
  mutation InstitutionWebhooksRotate($id: ID!) {
    rotateWebhookSecret(id: $id) {
      secret
      endpoint {
        id
        url
        previousSecretExpiresAt
      }
    }
  }
`);

const WebhooksEnable = graphql(`
  mutation InstitutionWebhooksEnable($id: ID!) {
    enableWebhookEndpoint(id: $id) {
      id
      enabled
      disabledReason
      disabledAt
    }
  }
`);

const WebhooksDelete = graphql(`
  mutation InstitutionWebhooksDelete($id: ID!) {
    deleteWebhookEndpoint(id: $id)
  }
`);

export interface Endpoint {
  id: string;
  url: string;
  eventTypes: string[];
  enabled: boolean;
  disabledReason?: string | null;
  disabledAt?: string | null;
  createdAt: string;
  previousSecretExpiresAt?: string | null;
}

interface Secret {
  url: string;
  secret: string;
  rotated: boolean;
  /** After a rotation: until when the previous secret still signs beside this one. */
  previousUntil?: string | null;
}

/** A secret shown once: read it in the field, or copy it; focus comes here when shown. */
function SecretShown({ shown, onDone }: { shown: Secret; onDone: () => void }) {
  const { t } = useTranslation("notifications");
  const [copied, setCopied] = useState<"yes" | "no" | null>(null);
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), [shown]);
  return (
    <section className="webhook-secret" aria-labelledby="webhook-secret-title">
      <h2 id="webhook-secret-title" ref={heading} tabIndex={-1}>
        {shown.rotated ? t("webhooks.rotated", { url: shown.url }) : t("webhooks.secretTitle", { url: shown.url })}
      </h2>
      <p>{t("webhooks.secretOnce")}</p>
      {shown.previousUntil ? <p>{t("webhooks.previousUntil", { when: instant(shown.previousUntil) })}</p> : null}
      <TextField label={t("webhooks.secretLabel")} value={shown.secret} readOnly onFocus={(e) => e.target.select()} data-testid="webhook-secret" />
      <div className="actions">
        <button
          type="button"
          onClick={async () => {
            try {
              await navigator.clipboard.writeText(shown.secret);
              setCopied("yes");
            } catch {
              setCopied("no");
            }
          }}
        >
          {t("webhooks.copy")}
        </button>
        <button type="button" className="secondary" onClick={onDone}>
          {t("webhooks.done")}
        </button>
      </div>
      <p role="status" aria-live="polite" className={copied === "no" ? "field-error" : "muted"}>
        {copied === "yes" ? t("webhooks.copied") : copied === "no" ? t("webhooks.copyFailed") : ""}
      </p>
    </section>
  );
}

function TypeChoices({ offered, chosen, onChange }: { offered: readonly string[]; chosen: string[]; onChange: (next: string[]) => void }) {
  const { t } = useTranslation("notifications");
  return (
    <ul>
      {offered.map((type) => (
        <li key={type}>
          <label>
            <input
              type="checkbox"
              checked={chosen.includes(type)}
              onChange={(e) => onChange(e.target.checked ? [...chosen, type] : chosen.filter((c) => c !== type))}
            />
            {t(`webhooks.types.${type}`, { defaultValue: type })}
          </label>
        </li>
      ))}
    </ul>
  );
}

function RegisterForm({ offered, onRegistered }: { offered: readonly string[]; onRegistered: (secret: Secret) => void }) {
  const { t } = useTranslation("notifications");
  const [url, setUrl] = useState("");
  const [types, setTypes] = useState<string[]>([...offered]);
  const [noTypes, setNoTypes] = useState(false);
  const [result, register] = useMutation(WebhooksRegister);
  const shown = refusals(result.error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    if (types.length === 0) {
      setNoTypes(true);
      return;
    }
    setNoTypes(false);
    const answer = await register({ url: url.trim(), eventTypes: types as WebhookEventType[] });
    const created = answer.data?.registerWebhookEndpoint;
    if (created) {
      setUrl("");
      onRegistered({ url: created.endpoint.url, secret: created.secret, rotated: false });
    }
  };
  const typesError = shown.of("eventTypes") ?? (noTypes ? t("webhooks.eventTypesMissing") : undefined);
  return (
    <form className="form" onSubmit={(e) => void submit(e)} noValidate aria-labelledby="webhook-register-title">
      <h2 id="webhook-register-title">{t("webhooks.register")}</h2>
      <TextField
        label={t("webhooks.url")}
        type="url"
        inputMode="url"
        autoComplete="off"
        placeholder="https://"
        value={url}
        hint={t("webhooks.urlHint")}
        error={shown.of("url")}
        onChange={(e) => setUrl(e.target.value)}
        required
      />
      <fieldset className="webhook-types">
        <legend>{t("webhooks.eventTypes")}</legend>
        <TypeChoices offered={offered} chosen={types} onChange={setTypes} />
        {typesError ? (
          <p className="field-error" role="alert">
            {typesError}
          </p>
        ) : null}
      </fieldset>
      <FormErrors refusals={shown.general(["url", "eventTypes"])} />
      <div className="actions">
        <button type="submit" disabled={result.fetching}>
          {t("webhooks.submit")}
        </button>
      </div>
    </form>
  );
}

function EndpointRow({ endpoint, onSecret, onChanged }: { endpoint: Endpoint; onSecret: (secret: Secret) => void; onChanged: () => void }) {
  const { t } = useTranslation("notifications");
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const [logOpen, setLogOpen] = useState(false);
  const [rotating, rotate] = useMutation(WebhooksRotate);
  const [enabling, enable] = useMutation(WebhooksEnable);
  const [deleting, remove] = useMutation(WebhooksDelete);
  const url = endpoint.url;
  const busy = rotating.fetching || enabling.fetching || deleting.fetching;
  const errors = [rotating.error, enabling.error, deleting.error].flatMap((error) => refusals(error).general([]));
  const logId = `webhook-log-${endpoint.id}`;
  const reason = endpoint.disabledReason ? t(`webhooks.disabledReasons.${endpoint.disabledReason}`, { defaultValue: endpoint.disabledReason }) : null;
  return (
    <li id={`endpoint-${endpoint.id}`} data-testid="webhook-endpoint">
      <div className="consent-row-head">
        <h3 className="webhook-url">{url}</h3>
        <span className={`badge ${endpoint.enabled ? "badge-ok" : "badge-danger"}`}>
          {endpoint.enabled ? t("webhooks.enabled") : t("webhooks.disabled")}
        </span>
      </div>
      <dl className="facts">
        <dt>{t("webhooks.created")}</dt>
        <dd>{instant(endpoint.createdAt)}</dd>
        <dt>{t("webhooks.events")}</dt>
        <dd>{endpoint.eventTypes.map((type) => t(`webhooks.types.${type}`, { defaultValue: type })).join(", ")}</dd>
        {!endpoint.enabled ? (
          <>
            <dt>{t("webhooks.disabled")}</dt>
            <dd>
              {endpoint.disabledAt ? `${instant(endpoint.disabledAt)} · ` : ""}
              {reason}
            </dd>
          </>
        ) : null}
      </dl>
      {endpoint.previousSecretExpiresAt ? <p className="muted">{t("webhooks.previousUntil", { when: instant(endpoint.previousSecretExpiresAt) })}</p> : null}
      <FormErrors refusals={errors} />
      {confirming ? (
        <div className="consent-confirm" role="group" aria-label={t("webhooks.deleteOf", { url })}>
          <p>{t("webhooks.deleteConfirm", { url })}</p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              disabled={busy}
              onClick={async () => {
                const answer = await remove({ id: endpoint.id });
                if (!answer.error) {
                  toast(t("webhooks.deleted", { url }));
                  onChanged();
                }
              }}
            >
              {t("webhooks.deleteNow")}
            </button>
            <button type="button" className="secondary" onClick={() => setConfirming(false)}>
              {t("common:cancel")}
            </button>
          </div>
        </div>
      ) : (
        <div className="actions consent-actions">
          <button type="button" className="secondary" aria-expanded={logOpen} aria-controls={logId} onClick={() => setLogOpen(!logOpen)}>
            {logOpen ? t("webhooks.hideLog") : t("webhooks.log")}
          </button>
          {!endpoint.enabled ? (
            <button
              type="button"
              className="secondary"
              disabled={busy}
              aria-label={t("webhooks.enableOf", { url })}
              onClick={async () => {
                const answer = await enable({ id: endpoint.id });
                if (!answer.error) toast(t("webhooks.enabledNow", { url }));
              }}
            >
              {t("webhooks.enable")}
            </button>
          ) : null}
          <button
            type="button"
            className="secondary"
            disabled={busy}
            aria-label={t("webhooks.rotateOf", { url })}
            onClick={async () => {
              const answer = await rotate({ id: endpoint.id });
              const rotated = answer.data?.rotateWebhookSecret;
              if (rotated) {
                onSecret({ url: rotated.endpoint.url, secret: rotated.secret, rotated: true, previousUntil: rotated.endpoint.previousSecretExpiresAt });
                onChanged();
              }
            }}
          >
            {t("webhooks.rotate")}
          </button>
          <button type="button" className="secondary" aria-label={t("webhooks.deleteOf", { url })} onClick={() => setConfirming(true)}>
            {t("webhooks.delete")}
          </button>
        </div>
      )}
      <div id={logId}>{logOpen ? <WebhookDeliveries endpointId={endpoint.id} url={url} /> : null}</div>
    </li>
  );
}

export default function Webhooks() {
  const { t } = useTranslation("notifications");
  const [result, refetch] = useQuery({ query: WebhooksList });
  const [secret, setSecret] = useState<Secret | null>(null);
  const again = () => refetch({ requestPolicy: "network-only" });
  const endpoints = result.data?.me?.webhookEndpoints;
  return (
    <Page title={t("webhooks.title")}>
      <p className="lead">{t("webhooks.intro")}</p>
      {secret ? <SecretShown shown={secret} onDone={() => setSecret(null)} /> : null}
      {result.data ? (
        <Card>
          <RegisterForm
            offered={result.data.webhookEventTypes}
            onRegistered={(created) => {
              setSecret(created);
              again();
            }}
          />
        </Card>
      ) : null}
      <h2>{t("webhooks.endpoints")}</h2>
      {endpoints ? (
        endpoints.length > 0 ? (
          <ul className="list">
            {endpoints.map((endpoint) => (
              <EndpointRow key={endpoint.id} endpoint={endpoint} onSecret={setSecret} onChanged={again} />
            ))}
          </ul>
        ) : (
          <Empty>{t("webhooks.none")}</Empty>
        )
      ) : result.error ? (
        <FormErrors refusals={refusals(result.error).general([])} />
      ) : (
        <Loading />
      )}
    </Page>
  );
}
