// A paged list of the API's connections (`first`/`after`, pageInfo, totalCount): the
// first page, then "show more" appending the next, as the user asks.
import { useCallback, useState, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Empty } from "./Page";

export interface PageInfoLike {
  hasNextPage: boolean;
  endCursor?: string | null;
}

/** Cursors of the pages shown after the first; render one `<PageOf after=…/>` each. */
export function usePages(): { afters: (string | null)[]; more: (cursor: string | null | undefined) => void; reset: () => void } {
  const [afters, setAfters] = useState<(string | null)[]>([null]);
  const more = useCallback((cursor: string | null | undefined) => {
    if (cursor) setAfters((all) => (all.includes(cursor) ? all : [...all, cursor]));
  }, []);
  const reset = useCallback(() => setAfters([null]), []);
  return { afters, more, reset };
}

/** The footer of a paged list: the count and the button for the next page. */
export function MoreButton({
  pageInfo,
  onMore,
  total,
  empty,
}: {
  pageInfo: PageInfoLike | undefined;
  onMore: () => void;
  total?: number;
  empty?: ReactNode;
}) {
  const { t } = useTranslation();
  if (total === 0) return <Empty>{empty}</Empty>;
  return (
    <div className="list-foot">
      {total !== undefined ? <span className="muted">{t("total", { count: total })}</span> : null}
      {pageInfo?.hasNextPage ? (
        <button type="button" className="secondary" onClick={onMore}>
          {t("loadMore")}
        </button>
      ) : null}
    </div>
  );
}
