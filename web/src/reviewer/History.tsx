// Cases already decided: approved, rejected, sent back for information (or withdrawn by
// their learner), by decision, the reviewer's own or everyone's, with when and why.
// The filters live in the URL's search params; a table on wide screens, a list on phones.
import { useEffect, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useQuery } from "urql";
import { refusals } from "../api/refusals";
import { graphql } from "../gql";
import type { CertificationStatus, ReviewerHistoryQuery } from "../gql/graphql";
import { instant } from "../ui/format";
import { FormErrors } from "../ui/forms";
import { Loading, Page } from "../ui/Page";
import { MoreButton, usePages, type PageInfoLike } from "../ui/Paged";
import "./reviewer.css";
import { DECIDED, StatusBadge, useNarrow, useSearchFilters } from "./shared";

const ReviewerHistoryQueryDoc = graphql(`
  query ReviewerHistory($first: Int, $after: String, $status: CertificationStatus, $mine: Boolean) {
    reviewQueueConnection(first: $first, after: $after, status: $status, mine: $mine) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        status
        decidedAt
        reason
        verifiedCredentialCode
        reviewer {
          id
          displayName
        }
        outcome {
          id
          title
          learner {
            id
            displayName
          }
        }
      }
    }
  }
`);

type Decided = ReviewerHistoryQuery["reviewQueueConnection"]["nodes"][number];
const PAGE = 20;

export default function History() {
  const { t } = useTranslation("reviewer");
  const [params, set] = useSearchFilters();
  const asked = params.get("status");
  const status: CertificationStatus = DECIDED.includes(asked as CertificationStatus) ? (asked as CertificationStatus) : "APPROVED";
  const mine = params.get("mine") === "1";
  const pages = usePages();
  const [foot, setFoot] = useState<{ pageInfo: PageInfoLike; total: number } | null>(null);
  const narrow = useNarrow();
  const key = `${status}|${mine}`;
  const { reset } = pages;
  useEffect(() => {
    reset();
    setFoot(null);
    // a new filter starts from the first page
  }, [key, reset]);

  const rows = pages.afters.map((after, index) => (
    <HistoryPage
      key={`${key}|${after ?? ""}`}
      status={status}
      mine={mine}
      after={after}
      narrow={narrow}
      onFoot={index === pages.afters.length - 1 ? setFoot : undefined}
    />
  ));
  return (
    <Page title={t("nav.history")}>
      <p className="muted">{t("history.intro")}</p>
      <form className="card reviewer-filters" onSubmit={(event) => event.preventDefault()} aria-label={t("queue.filters")}>
        <div className="field">
          <label htmlFor="history-status">{t("history.status")}</label>
          <select id="history-status" value={status} onChange={(event) => set("status", event.target.value)}>
            {DECIDED.map((value) => (
              <option key={value} value={value}>
                {t(`status.${value}`)}
              </option>
            ))}
          </select>
        </div>
        <div className="reviewer-checks">
          <label className="check">
            <input type="checkbox" checked={mine} onChange={(event) => set("mine", event.target.checked ? "1" : null)} />
            {t("history.mine")}
          </label>
        </div>
      </form>
      {narrow ? (
        rows
      ) : (
        <div className="table-wrap">
          <table className="reviewer-table">
            <caption className="visually-hidden">{t("nav.history")}</caption>
            <thead>
              <tr>
                <th scope="col">{t("col.title")}</th>
                <th scope="col">{t("col.learner")}</th>
                <th scope="col">{t("col.decision")}</th>
                <th scope="col">{t("col.decidedAt")}</th>
                <th scope="col">{t("col.reason")}</th>
                <th scope="col">{t("col.verified")}</th>
                <th scope="col">{t("col.reviewer")}</th>
              </tr>
            </thead>
            {rows}
          </table>
        </div>
      )}
      {foot ? (
        <MoreButton pageInfo={foot.pageInfo} total={foot.total} empty={t("history.empty")} onMore={() => pages.more(foot.pageInfo.endCursor)} />
      ) : null}
    </Page>
  );
}

function HistoryPage({
  status,
  mine,
  after,
  narrow,
  onFoot,
}: {
  status: CertificationStatus;
  mine: boolean;
  after: string | null;
  narrow: boolean;
  onFoot?: (foot: { pageInfo: PageInfoLike; total: number }) => void;
}) {
  const { t } = useTranslation("reviewer");
  const [{ data, fetching, error }] = useQuery({
    query: ReviewerHistoryQueryDoc,
    variables: { first: PAGE, after, status, mine },
  });
  const connection = data?.reviewQueueConnection;
  useEffect(() => {
    if (connection && onFoot) onFoot({ pageInfo: connection.pageInfo, total: connection.totalCount });
  }, [connection, onFoot]);
  const problem = error ? <FormErrors refusals={refusals(error).general([])} /> : null;
  const waiting = !connection && fetching ? <Loading /> : null;
  const nodes = connection?.nodes ?? [];
  const when = (node: Decided) => (node.decidedAt ? <time dateTime={node.decidedAt}>{instant(node.decidedAt)}</time> : null);
  const reason = (node: Decided) => (node.reason ? <span className="reviewer-reason">{node.reason}</span> : <span className="muted">—</span>);
  const title = (node: Decided) => <Link to={`/reviewer/cases/${node.outcome.id}`}>{node.outcome.title}</Link>;

  if (narrow) {
    return (
      <>
        {problem}
        {waiting}
        {nodes.length > 0 ? (
          <ul className="list reviewer-list">
            {nodes.map((node) => (
              <li key={node.id}>
                <p className="reviewer-card-title">{title(node)}</p>
                <p className="reviewer-badges">
                  <StatusBadge status={node.status} />
                </p>
                <dl className="facts">
                  <dt>{t("col.learner")}</dt>
                  <dd>{node.outcome.learner.displayName}</dd>
                  <dt>{t("col.decidedAt")}</dt>
                  <dd>{when(node)}</dd>
                  {node.reason ? (
                    <>
                      <dt>{t("col.reason")}</dt>
                      <dd>{reason(node)}</dd>
                    </>
                  ) : null}
                  {node.verifiedCredentialCode ? (
                    <>
                      <dt>{t("col.verified")}</dt>
                      <dd>
                        <code>{node.verifiedCredentialCode}</code>
                      </dd>
                    </>
                  ) : null}
                  <dt>{t("col.reviewer")}</dt>
                  <dd>{node.reviewer?.displayName ?? "—"}</dd>
                </dl>
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
          <td colSpan={7}>
            {problem}
            {waiting}
          </td>
        </tr>
      ) : null}
      {nodes.map((node) => (
        <tr key={node.id}>
          <td>{title(node)}</td>
          <td>{node.outcome.learner.displayName}</td>
          <td>
            <StatusBadge status={node.status} />
          </td>
          <td>{when(node)}</td>
          <td>{reason(node)}</td>
          <td>{node.verifiedCredentialCode ? <code>{node.verifiedCredentialCode}</code> : "—"}</td>
          <td>{node.reviewer?.displayName ?? "—"}</td>
        </tr>
      ))}
    </tbody>
  );
}
