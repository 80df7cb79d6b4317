// One case, reached by its result's id (/reviewer/cases/:outcomeId: a result has one
// case, and `outcome(id)` is the API's way to one case): the result's details, the
// learner, the due day, the evidence shown in the page, the case's history (who did
// what, when, why), and the reviewer's part: claim it, decide it, or see how it was
// decided.
import { useEffect, useRef, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { refusals } from "../api/refusals";
import { useSession } from "../api/session";
import { graphql } from "../gql";
import type { CertificationStatus, ReviewerCaseQuery } from "../gql/graphql";
import { day, instant } from "../ui/format";
import { FormErrors } from "../ui/forms";
import { Card, Loading, Page } from "../ui/Page";
import { useToast } from "../ui/toasts";
import { DecideForm } from "./DecideForm";
import { EvidenceList } from "./Evidence";
import { ReviewerClaimMutation } from "./Queue";
import "./reviewer.css";
import { DaysLeft, OPEN, OverdueBadge, StatusBadge } from "./shared";

const ReviewerCaseQueryDoc = graphql(`
  query ReviewerCase($id: ID!) {
    outcome(id: $id) {
      id
      title
      kind
      issuer
      credentialCode
      achievedOn
      hours
      submittedAt
      learner {
        id
        displayName
      }
      evidence {
        id
        filename
        contentType
        size
      }
      certification {
        id
        status
        submittedOn
        dueOn
        workingDaysLeft
        overdue
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
  }
`);

type Outcome = NonNullable<ReviewerCaseQuery["outcome"]>;
type Certification = NonNullable<Outcome["certification"]>;
type Step = Certification["history"][number];

export default function CasePage() {
  const { t } = useTranslation("reviewer");
  const { id = "" } = useParams();
  const [{ data, fetching, error }, reexecute] = useQuery({ query: ReviewerCaseQueryDoc, variables: { id } });
  const outcome = data?.outcome;
  const back = (
    <Link className="button secondary small" to="/reviewer">
      {t("case.back")}
    </Link>
  );

  if (!outcome) {
    return (
      <Page title={t("case.title")} actions={back}>
        {fetching ? <Loading /> : null}
        {error ? <FormErrors refusals={refusals(error).general([])} /> : null}
        {!fetching && !error ? <p className="muted">{t("case.notFound")}</p> : null}
      </Page>
    );
  }
  const certification = outcome.certification;
  return (
    <Page title={outcome.title} actions={back}>
      {error ? <FormErrors refusals={refusals(error).general([])} /> : null}
      <div className="reviewer-case">
        <div className="reviewer-case-main">
          <Details outcome={outcome} certification={certification} />
          <Card title={t("case.evidence")}>
            <EvidenceList key={outcome.id} files={outcome.evidence} />
          </Card>
        </div>
        <div className="reviewer-case-side">
          {certification ? (
            <>
              <Card>
                <Work outcome={outcome} certification={certification} />
              </Card>
              <Card title={t("case.history")}>
                <History steps={certification.history} />
              </Card>
            </>
          ) : (
            <Card>
              <p className="muted">{t("case.noCaseYet")}</p>
              <button type="button" className="secondary" onClick={() => reexecute({ requestPolicy: "network-only" })}>
                {t("case.reload")}
              </button>
            </Card>
          )}
        </div>
      </div>
    </Page>
  );
}

function Details({ outcome, certification }: { outcome: Outcome; certification: Certification | null | undefined }) {
  const { t } = useTranslation("reviewer");
  return (
    <Card title={t("case.details")}>
      {certification ? (
        <p className="reviewer-badges">
          <StatusBadge status={certification.status} /> {certification.overdue ? <OverdueBadge /> : null}
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("case.learner")}</dt>
        <dd>
          {outcome.learner.displayName}{" "}
          <Link to={`/reviewer?learner=${encodeURIComponent(outcome.learner.id)}`}>({t("case.learnerCases")})</Link>
        </dd>
        <dt>{t("case.kind")}</dt>
        <dd>{t(`kind.${outcome.kind}`)}</dd>
        <dt>{t("case.issuer")}</dt>
        <dd>{outcome.issuer}</dd>
        <dt>{t("case.claimedCode")}</dt>
        <dd>{outcome.credentialCode ? <code>{outcome.credentialCode}</code> : <span className="muted">{t("case.noClaimedCode")}</span>}</dd>
        <dt>{t("case.achievedOn")}</dt>
        <dd>{day(outcome.achievedOn)}</dd>
        {outcome.hours !== null && outcome.hours !== undefined ? (
          <>
            <dt>{t("case.hours")}</dt>
            <dd>{outcome.hours}</dd>
          </>
        ) : null}
        <dt>{t("case.submittedAt")}</dt>
        <dd>{instant(outcome.submittedAt)}</dd>
        {certification ? (
          <>
            <dt>{t("case.due")}</dt>
            <dd>
              {day(certification.dueOn)}
              {OPEN.has(certification.status) ? (
                <>
                  {" "}
                  (<DaysLeft days={certification.workingDaysLeft} />)
                </>
              ) : null}
            </dd>
            <dt>{t("case.holder")}</dt>
            <dd>{certification.reviewer?.displayName ?? <span className="muted">{t("nobody")}</span>}</dd>
          </>
        ) : null}
      </dl>
    </Card>
  );
}

/** What the reviewer may do now: claim, decide, or read the decision. */
function Work({ outcome, certification }: { outcome: Outcome; certification: Certification }) {
  const { t } = useTranslation("reviewer");
  const session = useSession();
  const toast = useToast();
  const me = session.status === "signed-in" ? session.account : null;
  const [claim, runClaim] = useMutation(ReviewerClaimMutation);
  const [justDecided, setJustDecided] = useState(false);
  const status = certification.status;
  const holder = certification.reviewer;
  const mine = holder !== null && holder !== undefined && holder.id === me?.id;

  const claimButton = (label: string) => (
    <>
      <button
        type="button"
        disabled={claim.fetching}
        onClick={async () => {
          const result = await runClaim({ id: certification.id });
          if (!result.error) toast(t("claimed", { title: outcome.title }));
        }}
      >
        {label}
      </button>
      <FormErrors refusals={refusals(claim.error).general([])} />
    </>
  );

  if (status === "IN_REVIEW" && mine) {
    return (
      <DecideForm
        key={certification.id}
        caseId={certification.id}
        claimedCode={outcome.credentialCode ?? null}
        onDecided={() => setJustDecided(true)}
      />
    );
  }
  if (status === "PENDING" && !holder) {
    return (
      <>
        <h2>{t("case.work")}</h2>
        <p>{t("case.claimFirst")}</p>
        {claimButton(t("claim"))}
      </>
    );
  }
  if (OPEN.has(status) && holder && !mine) {
    return (
      <>
        <h2>{t("case.work")}</h2>
        <p>{t("case.heldBy", { name: holder.displayName })}</p>
        {me?.role === "ADMIN" ? (
          <>
            <p className="muted">{t("case.adminTakeOver")}</p>
            {claimButton(t("takeOver"))}
          </>
        ) : null}
      </>
    );
  }
  return <Decided certification={certification} focus={justDecided} />;
}

function Decided({ certification, focus }: { certification: Certification; focus: boolean }) {
  const { t } = useTranslation("reviewer");
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => {
    if (focus) heading.current?.focus();
  }, [focus]);
  const status: CertificationStatus = certification.status;
  const decided = certification.decidedAt && (status === "APPROVED" || status === "REJECTED" || status === "NEEDS_INFO");
  return (
    <div role={focus ? "status" : undefined}>
      <h2 ref={heading} tabIndex={-1}>
        {decided ? t("case.decidedAs", { status: t(`status.${status}`) }) : t("case.work")}
      </h2>
      <p className="reviewer-badges">
        <StatusBadge status={status} />
      </p>
      {decided ? (
        <>
          <p>{t("case.decidedOn", { when: instant(certification.decidedAt) })}</p>
          {certification.verifiedCredentialCode ? <p>{t("case.verified", { code: certification.verifiedCredentialCode })}</p> : null}
          {certification.reason ? <p className="reviewer-reason">{t("case.reason", { reason: certification.reason })}</p> : null}
        </>
      ) : null}
      <p className="muted">{status === "NEEDS_INFO" ? t("case.waitingLearner") : t("case.final")}</p>
      <Link to="/reviewer">{t("decide.backToQueue")}</Link>
    </div>
  );
}

/** The note of a step, in the reader's language where the service wrote a fixed one. */
function useNote(): (step: Step) => { label: string | null; text: string | null } {
  const { t } = useTranslation("reviewer");
  return (step) => {
    const note = step.note?.trim() ?? "";
    if (!note) return { label: null, text: null };
    const fixed: Record<string, string> = {
      submitted: "note.submitted",
      resubmitted: "note.resubmitted",
      claimed: "note.claimed",
      approved: "note.approved",
      withdrawn: "note.withdrawn",
      "withdrawn: the learner closed their account": "note.closed",
      "released: the reviewer closed their account": "note.released",
    };
    if (fixed[note]) return { label: t(fixed[note]), text: null };
    const approvedAs = /^approved as (.+)$/.exec(note);
    if (approvedAs && step.status === "APPROVED") return { label: t("note.approvedAs", { code: approvedAs[1] }), text: null };
    if (note.startsWith("taken over from ") && step.status === "IN_REVIEW") return { label: t("note.takenOver"), text: null };
    // a decision's reason, or the learner's answer on resubmitting
    return { label: null, text: note };
  };
}

function History({ steps }: { steps: Step[] }) {
  const { t } = useTranslation("reviewer");
  const noteOf = useNote();
  if (steps.length === 0) return <p className="muted">{t("case.noHistory")}</p>;
  return (
    <ol className="timeline">
      {steps.map((step, index) => {
        const note = noteOf(step);
        return (
          <li key={index}>
            <p className="reviewer-step-head" style={{ margin: 0 }}>
              <StatusBadge status={step.status} /> {note.label}
            </p>
            <p className="muted" style={{ margin: 0 }}>
              <time dateTime={step.at}>{instant(step.at)}</time> · {t("case.stepBy", { name: step.by?.displayName ?? t("case.someone") })}
            </p>
            {note.text ? (
              <p className="reviewer-step-note">
                {step.status === "REJECTED" || step.status === "NEEDS_INFO"
                  ? t("case.reason", { reason: note.text })
                  : t("case.note", { text: note.text })}
              </p>
            ) : null}
          </li>
        );
      })}
    </ol>
  );
}
