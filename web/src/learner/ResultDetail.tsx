// One result: what was deposited, where its certification stands (a timeline of its
// steps, the due day and working days left, the reviewer's reason), the credits it
// converted into (or why none), answering a request for more information, withdrawing.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { refusals } from "../api/refusals";
import { graphql } from "../gql";
import type { CertificationStatus } from "../gql/graphql";
import { credits, day, instant } from "../ui/format";
import { FormErrors, TextArea } from "../ui/forms";
import { Empty, Loading, Page } from "../ui/Page";
import { useToast } from "../ui/toasts";
import { DownloadEvidence } from "./download";
import { EvidenceFiles, useEvidence } from "./EvidenceFiles";
import { Section } from "./Section";
import { StatusBadge, WITHDRAWABLE } from "./status";
import "./learner.css";

const ResultQuery = graphql(`
  query LearnerResult($id: ID!) {
    outcome(id: $id) {
      id
      title
      kind
      issuer
      credentialCode
      achievedOn
      hours
      status
      submittedAt
      evidence {
        id
        filename
        size
      }
      certification {
        id
        status
        submittedOn
        dueOn
        decidedAt
        reason
        verifiedCredentialCode
        workingDaysLeft
        overdue
        history {
          status
          at
          note
        }
      }
      conversions {
        id
        credits
        status
        convertedAt
        expiresOn
        ruleVersion
        explanation
        course {
          code
          name
        }
      }
      conversionRefusals {
        code
        at
        reason
        course {
          code
          name
        }
        rule {
          id
          version
        }
      }
    }
  }
`);

const CredentialNameQuery = graphql(`
  query LearnerCredentialName($code: String!) {
    searchCatalog(text: $code, first: 5) {
      kind
      code
      name
    }
  }
`);

/** The credential's name in the reader's language, with its code. */
function CredentialName({ code }: { code: string }) {
  const [result] = useQuery({ query: CredentialNameQuery, variables: { code } });
  const match = result.data?.searchCatalog.find((m) => m.kind === "CREDENTIAL_TYPE" && m.code === code);
  return match ? (
    <>
      {match.name} <span className="muted">({code})</span>
    </>
  ) : (
    <>{code}</>
  );
}

const ResubmitMutation = graphql(`
  mutation LearnerResubmitResult($id: ID!, $note: String!, $evidenceIds: [ID!]) {
    resubmitResult(id: $id, note: $note, evidenceIds: $evidenceIds) {
      id
      status
      evidence {
        id
        filename
        size
      }
    }
  }
`);

const WithdrawMutation = graphql(`
  mutation LearnerWithdrawResult($id: ID!) {
    withdrawResult(id: $id) {
      id
      status
    }
  }
`);

// The certification service's own words on a step (not a person's): the step's name says it.
const MACHINE_NOTE = /^(submitted|claimed|resubmitted|withdrawn|approved|approved as \S+|taken over from \S+|withdrawn: the learner closed their account)$/;

const OPEN_CASE = new Set<CertificationStatus>(["PENDING", "IN_REVIEW", "NEEDS_INFO"]);
const STEP_BADGE: Record<CertificationStatus, string> = {
  PENDING: "badge-info",
  IN_REVIEW: "badge-info",
  NEEDS_INFO: "badge-warn",
  APPROVED: "badge-ok",
  REJECTED: "badge-danger",
  WITHDRAWN: "",
};

function Respond({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation("learner");
  const evidence = useEvidence();
  const [note, setNote] = useState("");
  const [checks, setChecks] = useState<{ note?: string; evidenceIds?: string }>({});
  const [sent, resubmit] = useMutation(ResubmitMutation);
  const shown = refusals(sent.error);
  const toast = useToast();

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found: typeof checks = {};
    if (!note.trim()) found.note = t("detail.respond.noteNeeded");
    if (evidence.failed) found.evidenceIds = t("add.check.failed");
    else if (evidence.busy) found.evidenceIds = t("add.check.uploading");
    setChecks(found);
    if (Object.keys(found).length > 0) return;
    const result = await resubmit({ id, note: note.trim(), evidenceIds: evidence.ids });
    if (result.data) {
      setNote("");
      evidence.reset();
      toast(t("detail.respond.sent"));
      onDone();
    }
  }

  return (
    <Section title={t("detail.respond.title")} className="respond">
      <p>{t("detail.respond.intro")}</p>
      <form className="form" onSubmit={submit} noValidate>
        <TextArea
          label={t("detail.respond.note")}
          value={note}
          required
          maxLength={2000}
          onChange={(event) => setNote(event.target.value)}
          error={checks.note ?? shown.of("note")}
        />
        <EvidenceFiles evidence={evidence} label={t("detail.respond.files")} error={checks.evidenceIds ?? shown.of("evidenceIds")} />
        <FormErrors refusals={shown.general(["note", "evidenceIds"])} />
        <div className="actions">
          <button type="submit" disabled={sent.fetching}>
            {t("detail.respond.submit")}
          </button>
        </div>
      </form>
    </Section>
  );
}

function Withdraw({ id, onDone }: { id: string; onDone: () => void }) {
  const { t } = useTranslation("learner");
  const [asking, setAsking] = useState(false);
  const [sent, withdraw] = useMutation(WithdrawMutation);
  const confirmRef = useRef<HTMLButtonElement>(null);
  useEffect(() => {
    if (asking) confirmRef.current?.focus();
  }, [asking]);
  const toast = useToast();
  return (
    <Section title={t("detail.withdraw.title")} className="withdraw">
      <p className="hint">{t("detail.withdraw.intro")}</p>
      {asking ? (
        <div className="confirm" role="group" aria-labelledby="withdraw-ask">
          <p id="withdraw-ask">
            <strong>{t("detail.withdraw.ask")}</strong>
          </p>
          <div className="actions">
            <button
              type="button"
              className="danger"
              ref={confirmRef}
              disabled={sent.fetching}
              onClick={async () => {
                const result = await withdraw({ id });
                if (result.data) {
                  setAsking(false);
                  toast(t("detail.withdraw.done"));
                  onDone();
                }
              }}
            >
              {t("detail.withdraw.confirm")}
            </button>
            <button type="button" className="secondary" onClick={() => setAsking(false)}>
              {t("common:cancel")}
            </button>
          </div>
        </div>
      ) : (
        <button type="button" className="secondary" onClick={() => setAsking(true)}>
          {t("detail.withdraw.button")}
        </button>
      )}
      <FormErrors refusals={refusals(sent.error).general([])} />
    </Section>
  );
}

export default function ResultDetail() {
  const { t } = useTranslation("learner");
  const { id = "" } = useParams();
  const [result, reexecute] = useQuery({ query: ResultQuery, variables: { id } });
  const outcome = result.data?.outcome;
  const case_ = outcome?.certification ?? null;
  const refresh = () => reexecute({ requestPolicy: "network-only" });

  // The case follows the result by an event: until it has caught up, ask again shortly.
  const settling =
    outcome !== undefined &&
    outcome !== null &&
    ((case_ === null && outcome.status !== "WITHDRAWN") ||
      (outcome.status === "SUBMITTED" && case_ !== null && case_.status === "NEEDS_INFO") ||
      (outcome.status === "WITHDRAWN" && case_ !== null && OPEN_CASE.has(case_.status)) ||
      (outcome.status === "CERTIFIED" && outcome.conversions.length === 0 && outcome.conversionRefusals.length === 0));
  const tries = useRef(0);
  useEffect(() => {
    tries.current = 0;
  }, [id, outcome?.status]);
  useEffect(() => {
    if (!settling || result.fetching || tries.current >= 15) return;
    const timer = setTimeout(() => {
      tries.current += 1;
      reexecute({ requestPolicy: "network-only" });
    }, 1500);
    return () => clearTimeout(timer);
  }, [settling, result.fetching, reexecute, result.data]);

  if (result.error && !outcome) {
    return (
      <Page title={t("detail.fallbackTitle")}>
        <FormErrors refusals={refusals(result.error).general([])} />
      </Page>
    );
  }
  if (!outcome) {
    if (result.fetching || !result.data) return <Loading />;
    return (
      <Page title={t("detail.fallbackTitle")}>
        <Empty>{t("detail.notFound")}</Empty>
        <p>
          <Link to="/learner/results">{t("results.title")}</Link>
        </p>
      </Page>
    );
  }

  const open = case_ !== null && OPEN_CASE.has(case_.status) && outcome.status !== "WITHDRAWN";
  const history = case_?.history ?? [];

  return (
    <Page title={outcome.title} actions={<StatusBadge status={outcome.status} />}>
      <p>
        <Link to="/learner/results">← {t("results.title")}</Link>
      </p>
      <div className="detail-grid">
        <Section title={t("detail.about")}>
          <dl className="facts lp-facts">
            <dt>{t("detail.status")}</dt>
            <dd>
              <StatusBadge status={outcome.status} />
            </dd>
            <dt>{t("add.kind")}</dt>
            <dd>{t(`kind.${outcome.kind}`)}</dd>
            <dt>{t("add.issuer")}</dt>
            <dd>{outcome.issuer}</dd>
            <dt>{t("add.credential")}</dt>
            <dd>{outcome.credentialCode ? <CredentialName code={outcome.credentialCode} /> : t("detail.noCredential")}</dd>
            <dt>{t("add.achievedOn")}</dt>
            <dd>{day(outcome.achievedOn)}</dd>
            {outcome.hours !== null && outcome.hours !== undefined ? (
              <>
                <dt>{t("add.hours")}</dt>
                <dd>{outcome.hours}</dd>
              </>
            ) : null}
            <dt>{t("detail.submittedAt")}</dt>
            <dd>{instant(outcome.submittedAt)}</dd>
          </dl>
          <h3 className="lp-sub">{t("detail.evidence")}</h3>
          {outcome.evidence.length === 0 ? (
            <p className="muted">{t("detail.noEvidence")}</p>
          ) : (
            <ul className="evidence-names">
              {outcome.evidence.map((file) => (
                <li key={file.id}>
                  <DownloadEvidence id={file.id} filename={file.filename} />
                </li>
              ))}
            </ul>
          )}
        </Section>

        <Section title={t("detail.certification")}>
          {case_ === null ? (
            <p className="muted" role="status">
              {outcome.status === "WITHDRAWN" ? t("detail.noCase") : t("detail.opening")}
            </p>
          ) : (
            <>
              <dl className="facts lp-facts">
                {case_.status !== "WITHDRAWN" ? (
                  <>
                    <dt>{t("detail.dueOn")}</dt>
                    <dd data-testid="due-on">{day(case_.dueOn)}</dd>
                  </>
                ) : null}
                {open && case_.status !== "NEEDS_INFO" ? (
                  <>
                    <dt>{t("detail.left")}</dt>
                    <dd className={case_.overdue ? "overdue" : undefined}>
                      {case_.overdue ? t("detail.overdue") : t("detail.daysLeft", { count: case_.workingDaysLeft })}
                    </dd>
                  </>
                ) : null}
                {open && case_.status === "NEEDS_INFO" ? (
                  <>
                    <dt>{t("detail.left")}</dt>
                    <dd>{t("detail.waitingForYou")}</dd>
                  </>
                ) : null}
                {case_.decidedAt ? (
                  <>
                    <dt>{case_.status === "NEEDS_INFO" ? t("detail.askedAt") : t("detail.decidedAt")}</dt>
                    <dd>{instant(case_.decidedAt)}</dd>
                  </>
                ) : null}
                {case_.verifiedCredentialCode ? (
                  <>
                    <dt>{t("detail.verified")}</dt>
                    <dd>{case_.verifiedCredentialCode}</dd>
                  </>
                ) : null}
              </dl>
              {case_.reason ? (
                <div className={`reason reason-${case_.status.toLowerCase()}`}>
                  <h3 className="lp-sub">{t("detail.reason")}</h3>
                  <p>{case_.reason}</p>
                </div>
              ) : null}
            </>
          )}
          <h3 className="lp-sub">{t("detail.timeline")}</h3>
          <ol className="timeline">
            {history.length === 0 ? (
              <li>
                <strong>{t("step.PENDING")}</strong>
                <div className="muted">{instant(outcome.submittedAt)}</div>
              </li>
            ) : (
              history.map((step, index) => {
                const again = index > 0 && step.status === "PENDING";
                const note = step.note && !MACHINE_NOTE.test(step.note) ? step.note : null;
                return (
                  <li key={index} className={`step step-${step.status.toLowerCase()}`}>
                    <span className={`badge ${STEP_BADGE[step.status]}`}>{t(again ? "step.answered" : `step.${step.status}`)}</span>
                    <div className="muted">{instant(step.at)}</div>
                    {note ? (
                      <p className="step-note">
                        <span className="muted">{t(again ? "detail.yourNote" : "detail.note")}</span> {note}
                      </p>
                    ) : null}
                  </li>
                );
              })
            )}
            {outcome.status === "WITHDRAWN" && !history.some((s) => s.status === "WITHDRAWN") ? (
              <li className="step step-withdrawn">
                <span className="badge">{t("step.WITHDRAWN")}</span>
              </li>
            ) : null}
          </ol>
        </Section>
      </div>

      {outcome.status === "NEEDS_INFO" ? <Respond id={outcome.id} onDone={refresh} /> : null}

      {outcome.status === "CERTIFIED" || outcome.conversions.length > 0 || outcome.conversionRefusals.length > 0 ? (
        <Section title={t("detail.conversions")}>
          {outcome.conversions.length === 0 && outcome.conversionRefusals.length === 0 ? (
            <p className="muted" role="status">
              {t("detail.converting")}
            </p>
          ) : null}
          {outcome.conversions.length > 0 ? (
            <ul className="list conversions">
              {outcome.conversions.map((conversion) => (
                <li key={conversion.id}>
                  <div className="result-row">
                    <strong>{conversion.course.name}</strong>
                    <span className="figure-inline">{t("common:credits", { value: credits(conversion.credits) })}</span>
                  </div>
                  <div className="muted">
                    {conversion.course.code} · {t("detail.ruleVersion", { version: conversion.ruleVersion })} ·{" "}
                    {t(`conversionStatus.${conversion.status}`)}
                    {conversion.expiresOn ? <> · {t("detail.expiresOn", { day: day(conversion.expiresOn) })}</> : null}
                  </div>
                  <p className="explanation">{conversion.explanation}</p>
                </li>
              ))}
            </ul>
          ) : null}
          {outcome.conversionRefusals.length > 0 ? (
            <>
              <h3 className="lp-sub">{t("detail.refusals")}</h3>
              <ul className="list refusals">
                {outcome.conversionRefusals.map((refusal, index) => (
                  <li key={index}>
                    {refusal.course ? (
                      <strong>
                        {refusal.course.name} <span className="muted">({refusal.course.code})</span>
                      </strong>
                    ) : (
                      <strong>{t("detail.noCourse")}</strong>
                    )}
                    <p className="explanation">{refusal.reason}</p>
                    <div className="muted">
                      {instant(refusal.at)}
                      {refusal.rule ? <> · {t("detail.ruleVersion", { version: refusal.rule.version })}</> : null}
                    </div>
                  </li>
                ))}
              </ul>
            </>
          ) : null}
        </Section>
      ) : null}

      {WITHDRAWABLE.has(outcome.status) ? <Withdraw id={outcome.id} onDone={refresh} /> : null}
    </Page>
  );
}
