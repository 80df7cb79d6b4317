// Deciding a case the reviewer holds: approve, reject, or ask for more information. A
// reason is required to reject or ask (checked here, next to the field, and by the
// API); an approval names the credential type the evidence proves, picked from the
// catalog (prefilled with the one the result claims). The API's refusals sit next to
// the field they name.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useClient, useMutation, useQuery } from "urql";
import { refusals } from "../api/refusals";
import { graphql } from "../gql";
import type { CertificationStatus, Decision } from "../gql/graphql";
import { FormErrors, TextArea, TextField } from "../ui/forms";
import "./reviewer.css";
import { StatusBadge } from "./shared";

export const ReviewerDecideMutation = graphql(`
  mutation ReviewerDecide($id: ID!, $decision: Decision!, $reason: String, $verifiedCredentialCode: String) {
    decideCertification(id: $id, decision: $decision, reason: $reason, verifiedCredentialCode: $verifiedCredentialCode) {
      id
      status
      decidedAt
      reason
      verifiedCredentialCode
      reviewer {
        id
        displayName
      }
      history {
        status
        at
        note
        by {
          id
          displayName
        }
      }
    }
  }
`);

export const ReviewerCredentialSearchQuery = graphql(`
  query ReviewerCredentialSearch($text: String!) {
    searchCatalog(text: $text, first: 10) {
      kind
      code
      name
      credentialType {
        code
        name
        authority
      }
    }
  }
`);

const DECISIONS: Decision[] = ["APPROVE", "REJECT", "REQUEST_INFO"];
const FIELDS = ["decision", "reason", "verifiedCredentialCode"];

/** The text typed, once the typing pauses. */
function useSettled(value: string, wait = 300): string {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    const timer = setTimeout(() => setSettled(value), wait);
    return () => clearTimeout(timer);
  }, [value, wait]);
  return settled;
}

export function DecideForm({
  caseId,
  claimedCode,
  onDecided,
}: {
  caseId: string;
  claimedCode: string | null;
  onDecided?: (status: CertificationStatus) => void;
}) {
  const { t } = useTranslation("reviewer");
  const [decision, setDecision] = useState<Decision>("APPROVE");
  const [reason, setReason] = useState("");
  const [code, setCode] = useState(claimedCode ?? "");
  const [checked, setChecked] = useState<{ reason?: string; code?: string }>({});
  const [result, decide] = useMutation(ReviewerDecideMutation);
  const [done, setDone] = useState<CertificationStatus | null>(null);
  const client = useClient();
  const [checking, setChecking] = useState(false);
  const shown = refusals(result.error);
  const approving = decision === "APPROVE";

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const problems: { reason?: string; code?: string } = {};
    if (!approving && reason.trim() === "") problems.reason = t("decide.reasonRequired");
    if (approving && claimedCode && code.trim() === "") problems.code = t("decide.codeRequired");
    if (!problems.code && approving && code.trim() !== "") {
      // the API takes any well-formed code: only one the catalog knows is a verified credential
      setChecking(true);
      const wanted = code.trim().toUpperCase();
      const found = await client.query(ReviewerCredentialSearchQuery, { text: wanted }).toPromise();
      setChecking(false);
      const known = (found.data?.searchCatalog ?? []).some((match) => match.kind === "CREDENTIAL_TYPE" && match.code.toUpperCase() === wanted);
      if (found.data && !known) problems.code = t("decide.codeUnknown");
    }
    setChecked(problems);
    if (problems.reason || problems.code) return;
    const answer = await decide({
      id: caseId,
      decision,
      reason: reason.trim() || null,
      verifiedCredentialCode: approving ? code.trim() || null : null,
    });
    if (!answer.error && answer.data) {
      setDone(answer.data.decideCertification.status);
      onDecided?.(answer.data.decideCertification.status);
    }
  };

  if (done) {
    return (
      <div className="reviewer-done" role="status">
        <p>
          {t("decide.done", { status: t(`status.${done}`) })} <StatusBadge status={done} />
        </p>
        <Link to="/reviewer">{t("decide.backToQueue")}</Link>
      </div>
    );
  }

  return (
    <form className="form" onSubmit={submit} noValidate aria-labelledby="decide-title">
      <h2 id="decide-title">{t("decide.title")}</h2>
      <fieldset className="reviewer-radios" aria-describedby={shown.of("decision") ? "decide-decision-error" : undefined}>
        <legend>{t("decide.decision")}</legend>
        {DECISIONS.map((value) => (
          <label key={value} className="check">
            <input
              type="radio"
              name="decision"
              value={value}
              checked={decision === value}
              onChange={() => {
                setDecision(value);
                setChecked({});
              }}
            />
            {t(`decide.${value}`)}
          </label>
        ))}
        {shown.of("decision") ? (
          <p className="field-error" id="decide-decision-error" role="alert">
            {shown.of("decision")}
          </p>
        ) : null}
      </fieldset>
      <TextArea
        label={t("decide.reason")}
        hint={t("decide.reasonHint")}
        value={reason}
        required={!approving}
        aria-required={!approving}
        maxLength={2000}
        onChange={(event) => {
          setReason(event.target.value);
          if (checked.reason) setChecked({ ...checked, reason: undefined });
        }}
        error={checked.reason ?? shown.of("reason")}
      />
      {approving ? (
        <CredentialPicker
          code={code}
          claimedCode={claimedCode}
          onCode={(next) => {
            setCode(next);
            if (checked.code) setChecked({ ...checked, code: undefined });
          }}
          error={checked.code ?? shown.of("verifiedCredentialCode")}
        />
      ) : null}
      <FormErrors refusals={shown.general(approving ? FIELDS : FIELDS.filter((f) => f !== "verifiedCredentialCode"))} />
      <div className="actions">
        <button type="submit" disabled={result.fetching || checking}>
          {t("decide.submit")}
        </button>
      </div>
    </form>
  );
}

function CredentialPicker({
  code,
  claimedCode,
  onCode,
  error,
}: {
  code: string;
  claimedCode: string | null;
  onCode: (code: string) => void;
  error?: string;
}) {
  const { t } = useTranslation("reviewer");
  const [text, setText] = useState(claimedCode ?? "");
  const settled = useSettled(text.trim());
  const [{ data, fetching }] = useQuery({
    query: ReviewerCredentialSearchQuery,
    variables: { text: settled },
    pause: settled.length === 0,
  });
  const matches = (data?.searchCatalog ?? []).filter((match) => match.kind === "CREDENTIAL_TYPE");
  const chosen = code.trim().toUpperCase();
  return (
    <>
      <TextField
        label={t("decide.code")}
        hint={claimedCode ? t("decide.codeHintClaimed", { code: claimedCode }) : t("decide.codeHint")}
        value={code}
        autoComplete="off"
        spellCheck={false}
        onChange={(event) => onCode(event.target.value)}
        error={error}
      />
      <TextField
        label={t("decide.search")}
        hint={t("decide.searchHint")}
        type="search"
        value={text}
        onChange={(event) => setText(event.target.value)}
      />
      {settled.length > 0 ? (
        <section aria-label={t("decide.results")} aria-busy={fetching}>
          {matches.length === 0 && !fetching ? (
            <p className="muted">{t("decide.noMatch")}</p>
          ) : (
            <ul className="reviewer-matches">
              {matches.map((match) => {
                const picked = chosen === match.code.toUpperCase();
                const name = match.credentialType?.name ?? match.name;
                return (
                  <li key={match.code} className={picked ? "picked" : undefined}>
                    <span>
                      <strong>{name}</strong> <code>{match.code}</code>
                      {match.credentialType?.authority ? <span className="muted"> · {match.credentialType.authority}</span> : null}
                    </span>
                    <button type="button" className="secondary small" aria-pressed={picked} onClick={() => onCode(match.code)}>
                      {picked ? <span aria-hidden="true">✓ </span> : null}
                      {picked ? t("decide.picked") : t("decide.pick")}
                      <span className="visually-hidden">{`: ${name} (${match.code})`}</span>
                    </button>
                  </li>
                );
              })}
            </ul>
          )}
        </section>
      ) : null}
    </>
  );
}
