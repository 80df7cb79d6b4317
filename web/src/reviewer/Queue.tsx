// The review queue: cases oldest due first, the API's filters as form controls kept in
// the URL's search params, overdue rows marked with a badge and its word, a "Claim"
// button on each unclaimed row and a link to the case. A table on wide screens, a list
// on phones; "show more" pages on.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { useSession } from "../api/session";
import { refusals } from "../api/refusals";
import { graphql } from "../gql";
import type { CertificationStatus, OutcomeKind, ReviewerQueueQuery } from "../gql/graphql";
import { day } from "../ui/format";
import { FormErrors } from "../ui/forms";
import { Loading, Page } from "../ui/Page";
import { MoreButton, usePages, type PageInfoLike } from "../ui/Paged";
import { useToast } from "../ui/toasts";
import "./reviewer.css";
import { DaysLeft, KINDS, OPEN, OverdueBadge, STATUSES, StatusBadge, useNarrow, useSearchFilters } from "./shared";

const ReviewerQueueQueryDoc = graphql(`
  query ReviewerQueue(
    $first: Int
    $after: String
    $status: CertificationStatus
    $mine: Boolean
    $unclaimed: Boolean
    $overdue: Boolean
    $kind: OutcomeKind
    $learnerId: ID
  ) {
    reviewQueueConnection(
      first: $first
      after: $after
      status: $status
      mine: $mine
      unclaimed: $unclaimed
      overdue: $overdue
      kind: $kind
      learnerId: $learnerId
    ) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        status
        submittedOn
        dueOn
        workingDaysLeft
        overdue
        reviewer {
          id
          displayName
        }
        outcome {
          id
          title
          kind
          learner {
            id
            displayName
          }
        }
      }
    }
  }
`);

export const ReviewerClaimMutation = graphql(`
  mutation ReviewerClaim($id: ID!) {
    claimCertification(id: $id) {
      id
      status
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

type Case = ReviewerQueueQuery["reviewQueueConnection"]["nodes"][number];

export interface QueueFilters {
  status: CertificationStatus | null;
  mine: boolean;
  unclaimed: boolean;
  overdue: boolean;
  kind: OutcomeKind | null;
  learnerId: string | null;
}

function filtersOf(params: URLSearchParams): QueueFilters {
  const status = params.get("status");
  const kind = params.get("kind");
  return {
    status: STATUSES.includes(status as CertificationStatus) ? (status as CertificationStatus) : null,
    mine: params.get("mine") === "1",
    unclaimed: params.get("unclaimed") === "1",
    overdue: params.get("overdue") === "1",
    kind: KINDS.includes(kind as OutcomeKind) ? (kind as OutcomeKind) : null,
    learnerId: params.get("learner") || null,
  };
}

const PAGE = 20;

export default function Queue() {
  const { t } = useTranslation("reviewer");
  const [params, set, clear] = useSearchFilters();
  const filters = filtersOf(params);
  const pages = usePages();
  const [foot, setFoot] = useState<{ pageInfo: PageInfoLike; total: number } | null>(null);
  const narrow = useNarrow();
  const key = params.toString();
  const { reset } = pages;
  useEffect(() => {
    reset();
    setFoot(null);
    // a new filter starts from the first page
  }, [key, reset]);

  const [learnerName, setLearnerName] = useState<string | null>(null);

  return (
    <Page title={t("nav.queue")}>
      <p className="muted">{t("queue.intro")}</p>
      <form className="card reviewer-filters" onSubmit={(event) => event.preventDefault()} aria-label={t("queue.filters")}>
        <div className="field">
          <label htmlFor="queue-status">{t("queue.status")}</label>
          <select id="queue-status" value={filters.status ?? ""} onChange={(event) => set("status", event.target.value || null)}>
            <option value="">{t("queue.statusOpen")}</option>
            {STATUSES.map((status) => (
              <option key={status} value={status}>
                {t(`status.${status}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="field">
          <label htmlFor="queue-kind">{t("queue.kind")}</label>
          <select id="queue-kind" value={filters.kind ?? ""} onChange={(event) => set("kind", event.target.value || null)}>
            <option value="">{t("queue.allKinds")}</option>
            {KINDS.map((kind) => (
              <option key={kind} value={kind}>
                {t(`kind.${kind}`)}
              </option>
            ))}
          </select>
        </div>
        <fieldset className="reviewer-checks">
          <legend className="visually-hidden">{t("queue.filters")}</legend>
          {(["mine", "unclaimed", "overdue"] as const).map((name) => (
            <label key={name} className="check">
              <input type="checkbox" checked={filters[name]} onChange={(event) => set(name, event.target.checked ? "1" : null)} />
              {t(`queue.${name}`)}
            </label>
          ))}
          {filters.learnerId ? (
            <span className="check">
              <span className="badge badge-info">
                {learnerName ? t("queue.learnerOnly", { name: learnerName }) : t("queue.learnerAny")}
              </span>{" "}
              <button type="button" className="link" onClick={() => set("learner", null)}>
                {t("queue.clearLearner")}
              </button>
            </span>
          ) : null}
        </fieldset>
        {key ? (
          <div>
            <button type="button" className="secondary small" onClick={clear}>
              {t("queue.clear")}
            </button>
          </div>
        ) : null}
      </form>

      {narrow ? (
        pages.afters.map((after, index) => (
          <QueuePage
            key={`${key}|${after ?? ""}`}
            filters={filters}
            after={after}
            narrow
            onFoot={index === pages.afters.length - 1 ? setFoot : undefined}
            onLearner={setLearnerName}
          />
        ))
      ) : (
        <div className="table-wrap">
          <table className="reviewer-table">
            <caption className="visually-hidden">{t("queue.table")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("col.title")}</th>
                <th scope="col">{t("col.kind")}</th>
                <th scope="col">{t("col.learner")}</th>
                <th scope="col">{t("col.submitted")}</th>
                <th scope="col">{t("col.due")}</th>
                <th scope="col">{t("col.daysLeft")}</th>
                <th scope="col">{t("col.status")}</th>
                <th scope="col">{t("col.holder")}</th>
                <th scope="col">{t("col.actions")}</th>
              </tr>
            </thead>
            {pages.afters.map((after, index) => (
              <QueuePage
                key={`${key}|${after ?? ""}`}
                filters={filters}
                after={after}
                narrow={false}
                onFoot={index === pages.afters.length - 1 ? setFoot : undefined}
                onLearner={setLearnerName}
              />
            ))}
          </table>
        </div>
      )}
      {foot ? (
        <MoreButton
          pageInfo={foot.pageInfo}
          total={foot.total}
          empty={t("queue.empty")}
          onMore={() => pages.more(foot.pageInfo.endCursor)}
        />
      ) : null}
    </Page>
  );
}

function QueuePage({
  filters,
  after,
  narrow,
  onFoot,
  onLearner,
}: {
  filters: QueueFilters;
  after: string | null;
  narrow: boolean;
  onFoot?: (foot: { pageInfo: PageInfoLike; total: number }) => void;
  onLearner: (name: string | null) => void;
}) {
  const { t } = useTranslation("reviewer");
  const [{ data, fetching, error }] = useQuery({
    query: ReviewerQueueQueryDoc,
    variables: { first: PAGE, after, ...filters },
  });
  const connection = data?.reviewQueueConnection;
  useEffect(() => {
    if (connection && onFoot) onFoot({ pageInfo: connection.pageInfo, total: connection.totalCount });
  }, [connection, onFoot]);
  useEffect(() => {
    if (!filters.learnerId || !connection) return;
    const found = connection.nodes.find((node) => node.outcome.learner.id === filters.learnerId);
    if (found) onLearner(found.outcome.learner.displayName);
  }, [connection, filters.learnerId, onLearner]);

  const problem = error ? <FormErrors refusals={refusals(error).general([])} /> : null;
  const waiting = !connection && fetching ? <Loading /> : null;
  const nodes = connection?.nodes ?? [];

  if (narrow) {
    return (
      <>
        {problem}
        {waiting}
        {nodes.length > 0 ? (
          <ul className="list reviewer-list">
            {nodes.map((node) => (
              <li key={node.id} className={node.overdue ? "reviewer-overdue" : undefined}>
                <CaseCard node={node} />
              </li>
            ))}
          </ul>
        ) : null}
      </>
    );
  }
  return (
    <tbody>
      {problem || waiting ? (
        <tr>
          <td colSpan={9}>
            {problem}
            {waiting}
          </td>
        </tr>
      ) : null}
      {nodes.map((node) => (
        <tr key={node.id} className={node.overdue ? "reviewer-overdue" : undefined} data-testid="queue-row">
          <td>
            <Link to={`/reviewer/cases/${node.outcome.id}`}>{node.outcome.title}</Link>
          </td>
          <td>{t(`kind.${node.outcome.kind}`)}</td>
          <td>
            <LearnerLink learner={node.outcome.learner} />
          </td>
          <td className="reviewer-nowrap">{day(node.submittedOn)}</td>
          <td>
            <span className="reviewer-nowrap">{day(node.dueOn)}</span>
            {node.overdue ? (
              <>
                {" "}
                <OverdueBadge />
              </>
            ) : null}
          </td>
          <td>
            <DaysLeft days={node.workingDaysLeft} />
          </td>
          <td>
            <StatusBadge status={node.status} />
          </td>
          <td>
            <Holder node={node} />
          </td>
          <td>
            <RowActions node={node} />
          </td>
        </tr>
      ))}
    </tbody>
  );
}

function LearnerLink({ learner }: { learner: { id: string; displayName: string } }) {
  const [params] = useSearchParams();
  const next = new URLSearchParams(params);
  next.set("learner", learner.id);
  return <Link to={`/reviewer?${next.toString()}`}>{learner.displayName}</Link>;
}

function Holder({ node }: { node: Case }) {
  const { t } = useTranslation("reviewer");
  const session = useSession();
  const me = session.status === "signed-in" ? session.account.id : null;
  if (!node.reviewer) return <span className="muted">{t("nobody")}</span>;
  return <>{node.reviewer.id === me ? t("you") : node.reviewer.displayName}</>;
}

function CaseCard({ node }: { node: Case }) {
  const { t } = useTranslation("reviewer");
  return (
    <article aria-label={node.outcome.title}>
      <p className="reviewer-card-title">
        <Link to={`/reviewer/cases/${node.outcome.id}`}>{node.outcome.title}</Link>
      </p>
      <p className="reviewer-badges">
        <StatusBadge status={node.status} /> {node.overdue ? <OverdueBadge /> : null}
      </p>
      <dl className="facts">
        <dt>{t("col.kind")}</dt>
        <dd>{t(`kind.${node.outcome.kind}`)}</dd>
        <dt>{t("col.learner")}</dt>
        <dd>
          <LearnerLink learner={node.outcome.learner} />
        </dd>
        <dt>{t("col.submitted")}</dt>
        <dd>{day(node.submittedOn)}</dd>
        <dt>{t("col.due")}</dt>
        <dd>
          {day(node.dueOn)} (<DaysLeft days={node.workingDaysLeft} />)
        </dd>
        <dt>{t("col.holder")}</dt>
        <dd>
          <Holder node={node} />
        </dd>
      </dl>
      <RowActions node={node} />
    </article>
  );
}

/** "Claim" while nobody holds an open case, and the link to the case. */
function RowActions({ node }: { node: Case }) {
  const { t } = useTranslation("reviewer");
  const toast = useToast();
  const [claim, run] = useMutation(ReviewerClaimMutation);
  const claimable = OPEN.has(node.status) && !node.reviewer;
  const shown = refusals(claim.error);
  return (
    <div className="actions">
      {claimable ? (
        <button
          type="button"
          className="small"
          disabled={claim.fetching}
          aria-label={t("claimCase", { title: node.outcome.title })}
          onClick={async () => {
            const result = await run({ id: node.id });
            if (!result.error) toast(t("claimed", { title: node.outcome.title }));
          }}
        >
          {t("claim")}
        </button>
      ) : null}
      <Link
        className="button secondary small"
        to={`/reviewer/cases/${node.outcome.id}`}
        aria-label={t("openCase", { title: node.outcome.title })}
      >
        {t("open")}
      </Link>
      {shown.any ? <FormErrors refusals={shown.general([])} /> : null}
    </div>
  );
}
