// Every result the learner deposited, newest first, a page at a time: its status, kind,
// title and (while it waits on a reviewer) the due date.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useQuery } from "urql";
import { refusals } from "../api/refusals";
import { graphql } from "../gql";
import { day } from "../ui/format";
import type { OutcomeStatus } from "../gql/graphql";
import { FormErrors, SelectField } from "../ui/forms";
import { Loading, Page } from "../ui/Page";
import { MoreButton, usePages } from "../ui/Paged";
import { StatusBadge } from "./status";
import "./learner.css";

const ResultsQuery = graphql(`
  query LearnerResults($first: Int!, $after: String, $status: OutcomeStatus) {
    me {
      id
      outcomesConnection(first: $first, after: $after, status: $status) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          title
          kind
          issuer
          status
          achievedOn
          certification {
            id
            dueOn
            workingDaysLeft
            overdue
          }
        }
      }
    }
  }
`);

const PAGE = 20;
const OPEN = new Set(["SUBMITTED", "IN_REVIEW", "NEEDS_INFO"]);

function ResultsPage({
  after,
  status,
  last,
  onMore,
}: {
  after: string | null;
  status: OutcomeStatus | null;
  last: boolean;
  onMore: (cursor: string | null | undefined) => void;
}) {
  const { t } = useTranslation("learner");
  // an empty page holds no Outcome: added results must still refresh it
  const context = useMemo(() => ({ additionalTypenames: ["Outcome"] }), []);
  const [result] = useQuery({ query: ResultsQuery, variables: { first: PAGE, after, status }, context });
  const connection = result.data?.me?.outcomesConnection;
  if (result.error) return <FormErrors refusals={refusals(result.error).general([])} />;
  if (!connection) return <Loading />;
  return (
    <>
      {connection.nodes.length > 0 ? (
        <ul className="list results-list">
          {connection.nodes.map((outcome) => (
            <li key={outcome.id}>
              <div className="result-row">
                <Link to={`/learner/results/${outcome.id}`} className="result-title">
                  {outcome.title}
                </Link>
                <StatusBadge status={outcome.status} />
              </div>
              <div className="muted result-meta">
                {t(`kind.${outcome.kind}`)} · {outcome.issuer} · {t("results.achieved", { day: day(outcome.achievedOn) })}
              </div>
              {outcome.certification && OPEN.has(outcome.status) ? (
                <div className={outcome.certification.overdue ? "result-due overdue" : "result-due"}>
                  {t("results.dueOn", { day: day(outcome.certification.dueOn) })} ·{" "}
                  {outcome.certification.overdue
                    ? t("detail.overdue")
                    : t("detail.daysLeft", { count: outcome.certification.workingDaysLeft })}
                </div>
              ) : null}
            </li>
          ))}
        </ul>
      ) : null}
      {last ? (
        <MoreButton
          pageInfo={connection.pageInfo}
          total={connection.totalCount}
          onMore={() => onMore(connection.pageInfo.endCursor)}
          empty={
            status ? (
              t("results.noneWithStatus", { status: t(`status.${status}`) })
            ) : (
              <>
                {t("dashboard.noResults")} <Link to="/learner/results/new">{t("nav.addResult")}</Link>
              </>
            )
          }
        />
      ) : null}
    </>
  );
}

const STATUSES: OutcomeStatus[] = ["SUBMITTED", "IN_REVIEW", "NEEDS_INFO", "CERTIFIED", "REJECTED", "WITHDRAWN"];

export default function Results() {
  const { t } = useTranslation("learner");
  const pages = usePages();
  const [params, setParams] = useSearchParams();
  const asked = params.get("status");
  const status = STATUSES.find((s) => s === asked) ?? null;
  return (
    <Page
      title={t("results.title")}
      actions={
        <Link to="/learner/results/new" className="button">
          {t("nav.addResult")}
        </Link>
      }
    >
      <div className="filters">
        <SelectField
          label={t("results.filter")}
          value={status ?? ""}
          onChange={(event) => {
            pages.reset();
            setParams(event.target.value ? { status: event.target.value } : {}, { replace: true });
          }}
          options={[{ value: "", label: t("results.all") }, ...STATUSES.map((s) => ({ value: s, label: t(`status.${s}`) }))]}
        />
      </div>
      {pages.afters.map((after, index) => (
        <ResultsPage
          key={`${status ?? "all"}-${after ?? "first"}`}
          after={after}
          status={status}
          last={index === pages.afters.length - 1}
          onMore={pages.more}
        />
      ))}
    </Page>
  );
}
