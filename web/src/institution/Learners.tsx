// The learners who consent to this institution, newest consent first, a page at a time;
// each opens the learner's transcript.
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useQuery } from "urql";
import { refusals } from "../api/refusals";
import { FormErrors } from "../ui/forms";
import { Loading, Page } from "../ui/Page";
import { MoreButton, usePages } from "../ui/Paged";
import { instant } from "../ui/format";
import { ConsentedLearners } from "./shared";

const PAGE = 20;

function LearnersPage({ after, last, onMore }: { after: string | null; last: boolean; onMore: (cursor: string | null | undefined) => void }) {
  const { t } = useTranslation("institution");
  const [{ data, fetching, error }] = useQuery({ query: ConsentedLearners, variables: { first: PAGE, after } });
  if (error) return <FormErrors refusals={refusals(error).general([])} />;
  if (!data && fetching) return <Loading />;
  const page = data?.me?.consentedLearners;
  if (!page) return null;
  return (
    <>
      {page.nodes.length > 0 ? (
        <ul className="list" aria-label={t("nav.learners")}>
          {page.nodes.map((consent) => (
            <li key={consent.id}>
              {consent.learner ? (
                <h2>
                  <Link to={`/institution/learners/${consent.learner.id}`}>{consent.learner.displayName}</Link>
                </h2>
              ) : (
                <h2>{t("learners.unreadable")}</h2>
              )}
              <p className="muted" style={{ margin: 0 }}>
                {t("learners.consentUntil", { when: instant(consent.expiresAt) })} ·{" "}
                {t("learners.grantedAt", { when: instant(consent.grantedAt) })}
              </p>
            </li>
          ))}
        </ul>
      ) : null}
      {last ? (
        <MoreButton
          pageInfo={page.pageInfo}
          total={page.totalCount}
          onMore={() => onMore(page.pageInfo.endCursor)}
          empty={t("learners.empty")}
        />
      ) : null}
    </>
  );
}

export default function Learners() {
  const { t } = useTranslation("institution");
  const pages = usePages();
  return (
    <Page title={t("nav.learners")}>
      <p className="lead">{t("learners.lead")}</p>
      {pages.afters.map((after, index) => (
        <LearnersPage key={after ?? "first"} after={after} last={index === pages.afters.length - 1} onMore={pages.more} />
      ))}
    </Page>
  );
}
