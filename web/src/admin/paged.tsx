// The admin's paged tables: the API's connections a page at a time, each page its own
// live query (so a mutation's invalidation refreshes every page shown), the rows of all
// pages in one table, "show more" for the next.
import { useCallback, useEffect, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { useQuery, type TypedDocumentNode } from "urql";
import type { PageInfoLike } from "../ui/Paged";
import { MoreButton } from "../ui/Paged";
import { refusalsOf } from "../api/refusals";
import { visuallyHidden } from "./hidden";

export interface ConnectionLike<N> {
  nodes: N[];
  pageInfo: PageInfoLike;
  totalCount: number;
}

interface PagedProps<Q, V, N> {
  query: TypedDocumentNode<Q, V>;
  /** the query's variables but `after` */
  variables: Omit<V, "after">;
  pick: (data: Q) => ConnectionLike<N> | null | undefined;
  /** the table's header row (<tr><th>…</th></tr>) */
  head: ReactNode;
  row: (node: N) => ReactNode;
  /** the table's caption (its accessible name) */
  caption: string;
  empty?: ReactNode;
  columns: number;
}

interface Info {
  pageInfo: PageInfoLike;
  totalCount: number;
}

function PageRows<Q, V, N>({
  query,
  variables,
  after,
  pick,
  row,
  columns,
  onInfo,
}: Pick<PagedProps<Q, V, N>, "query" | "variables" | "pick" | "row" | "columns"> & {
  after: string | null;
  onInfo: (after: string | null, info: Info) => void;
}) {
  const { t } = useTranslation();
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  const [result] = useQuery<Q, any>({ query, variables: { ...variables, after } });
  const connection = result.data ? pick(result.data) : undefined;
  useEffect(() => {
    if (connection) onInfo(after, { pageInfo: connection.pageInfo, totalCount: connection.totalCount });
  }, [connection, after, onInfo]);
  if (result.error && !connection) {
    return (
      <tr>
        <td colSpan={columns} role="alert" className="field-error">
          {refusalsOf(result.error)
            .map((r) => r.message)
            .join(" ")}
        </td>
      </tr>
    );
  }
  if (!connection) {
    return (
      <tr>
        <td colSpan={columns} className="muted">
          {t("loading")}
        </td>
      </tr>
    );
  }
  return <>{connection.nodes.map((node) => row(node))}</>;
}

function PagedInner<Q, V, N>(props: PagedProps<Q, V, N>) {
  const [afters, setAfters] = useState<(string | null)[]>([null]);
  const [infos, setInfos] = useState<Record<string, Info>>({});
  const onInfo = useCallback((after: string | null, info: Info) => {
    setInfos((all) => {
      const key = after ?? "";
      const old = all[key];
      if (old && old.totalCount === info.totalCount && old.pageInfo.endCursor === info.pageInfo.endCursor && old.pageInfo.hasNextPage === info.pageInfo.hasNextPage) return all;
      return { ...all, [key]: info };
    });
  }, []);
  const last = infos[afters[afters.length - 1] ?? ""];
  const first = infos[""];
  const total = first?.totalCount;
  return (
    <>
      {/* kept mounted (hidden) while empty: its query stays live, so an entry added
          elsewhere on the page shows at once */}
      {/* focusable, so a keyboard can scroll it sideways on a narrow screen */}
      <div className="table-wrap" tabIndex={0} role="region" aria-label={props.caption} hidden={total === 0}>
          <table>
            <caption style={visuallyHidden}>{props.caption}</caption>
            <thead>{props.head}</thead>
            <tbody>
              {afters.map((after) => (
                <PageRows key={after ?? ""} {...props} after={after} onInfo={onInfo} />
              ))}
            </tbody>
          </table>
      </div>
      <MoreButton
        pageInfo={last?.pageInfo}
        total={total}
        empty={props.empty}
        onMore={() => {
          const cursor = last?.pageInfo.endCursor;
          if (cursor) setAfters((all) => (all.includes(cursor) ? all : [...all, cursor]));
        }}
      />
    </>
  );
}

/** A paged table; its pages start again whenever the variables change. */
export function PagedTable<Q, V, N>(props: PagedProps<Q, V, N>) {
  return <PagedInner key={JSON.stringify(props.variables)} {...props} />;
}
