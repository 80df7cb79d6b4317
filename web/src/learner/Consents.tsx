// /learner/consents: the institutions the learner let read their account, newest first:
// granted, expires, status (active, revoked, expired); "Revoke" asks once more inline,
// then ends the access at once and the list shows it.
import { useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql } from "../gql";
import { refusals } from "../api/refusals";
import { FormErrors } from "../ui/forms";
import { Loading, Page } from "../ui/Page";
import { MoreButton, usePages } from "../ui/Paged";
import { instant } from "../ui/format";
import "./consent.css";

const LearnerConsentsList = graphql(`
  query LearnerConsentsList($first: Int, $after: String, $activeOnly: Boolean) {
    me {
      id
      consentsConnection(first: $first, after: $after, activeOnly: $activeOnly) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          id
          grantedAt
          expiresAt
          revokedAt
          active
          institution {
            id
            displayName
            institution {
              id
              code
              name
              city
            }
          }
        }
      }
    }
  }
`);

const LearnerConsentsRevoke = graphql(`
  mutation LearnerConsentsRevoke($consentId: ID!) {
    revokeConsent(consentId: $consentId) {
      id
      revokedAt
      active
      expiresAt
    }
  }
`);

const PAGE_SIZE = 20;

type Status = "active" | "revoked" | "expired";

interface ConsentItem {
  id: string;
  grantedAt: string;
  expiresAt: string;
  revokedAt?: string | null;
  active: boolean;
  institution: { id: string; displayName: string; institution?: { code: string; name: string; city: string } | null };
}

export function statusOf(consent: { revokedAt?: string | null; active: boolean }): Status {
  if (consent.revokedAt) return "revoked";
  return consent.active ? "active" : "expired";
}

const BADGE: Record<Status, string> = { active: "badge-ok", revoked: "badge-danger", expired: "badge-warn" };

function ConsentRow({ consent, onChanged }: { consent: ConsentItem; onChanged: () => void }) {
  const { t } = useTranslation("consents");
  const [confirming, setConfirming] = useState(false);
  const [result, revoke] = useMutation(LearnerConsentsRevoke);
  const status = statusOf(consent);
  const name = consent.institution.institution?.name ?? consent.institution.displayName;
  const shown = refusals(result.error);
  return (
    <li>
      <div className="consent-row-head">
        <h2 className="consent-name">{name}</h2>
        <span className={`badge ${BADGE[status]}`}>{t(`consents.status.${status}`)}</span>
      </div>
      {consent.institution.institution ? (
        <p className="consent-meta muted">
          <span>{t("directory.code", { code: consent.institution.institution.code })}</span>
          <span>{t("directory.city", { city: consent.institution.institution.city })}</span>
        </p>
      ) : null}
      <dl className="facts">
        <dt>{t("consents.granted")}</dt>
        <dd>{instant(consent.grantedAt)}</dd>
        <dt>{t("consents.expires")}</dt>
        <dd>{instant(consent.expiresAt)}</dd>
        {consent.revokedAt ? (
          <>
            <dt>{t("consents.revokedAt")}</dt>
            <dd>{instant(consent.revokedAt)}</dd>
          </>
        ) : null}
      </dl>
      <FormErrors refusals={shown.general([])} />
      {status === "active" ? (
        confirming ? (
          <div className="consent-confirm" role="group" aria-label={t("consents.confirmLabel", { name })}>
            <p>{t("consents.confirm", { name })}</p>
            <div className="actions">
              <button
                type="button"
                className="danger"
                disabled={result.fetching}
                onClick={async () => {
                  const answer = await revoke({ consentId: consent.id });
                  if (!answer.error) {
                    setConfirming(false);
                    onChanged();
                  }
                }}
              >
                {t("consents.revokeNow")}
              </button>
              <button type="button" className="secondary" onClick={() => setConfirming(false)}>
                {t("common:cancel")}
              </button>
            </div>
          </div>
        ) : (
          <div className="actions consent-actions">
            <button
              type="button"
              className="secondary"
              aria-label={t("consents.revokeFor", { name })}
              onClick={() => setConfirming(true)}
            >
              {t("consents.revoke")}
            </button>
          </div>
        )
      ) : null}
    </li>
  );
}

function ConsentPage({
  after,
  activeOnly,
  last,
  onMore,
}: {
  after: string | null;
  activeOnly: boolean;
  last: boolean;
  onMore: (cursor: string | null | undefined) => void;
}) {
  const { t } = useTranslation("consents");
  const [result, refetch] = useQuery({
    query: LearnerConsentsList,
    variables: { first: PAGE_SIZE, after, activeOnly },
  });
  const page = result.data?.me?.consentsConnection;
  if (!page) {
    if (result.error) return <FormErrors refusals={refusals(result.error).general([])} />;
    return <Loading />;
  }
  return (
    <>
      {page.nodes.length > 0 ? (
        <ul className="list consent-list">
          {page.nodes.map((consent) => (
            <ConsentRow key={consent.id} consent={consent} onChanged={() => refetch({ requestPolicy: "network-only" })} />
          ))}
        </ul>
      ) : null}
      {last ? (
        <MoreButton
          pageInfo={page.pageInfo}
          total={page.totalCount}
          onMore={() => onMore(page.pageInfo.endCursor)}
          empty={
            <>
              {t(activeOnly ? "consents.noneActive" : "consents.none")}{" "}
              <Link to="/learner/institutions">{t("consents.findInstitution")}</Link>
            </>
          }
        />
      ) : null}
    </>
  );
}

function ConsentPages({ activeOnly }: { activeOnly: boolean }) {
  const pages = usePages();
  return (
    <>
      {pages.afters.map((after, index) => (
        <ConsentPage
          key={after ?? ""}
          after={after}
          activeOnly={activeOnly}
          last={index === pages.afters.length - 1}
          onMore={pages.more}
        />
      ))}
    </>
  );
}

export default function Consents() {
  const { t } = useTranslation("consents");
  const [activeOnly, setActiveOnly] = useState(false);
  return (
    <Page
      title={t("consents.title")}
      actions={
        <Link to="/learner/institutions" className="button secondary">
          {t("consents.grantNew")}
        </Link>
      }
    >
      <p className="lead">{t("consents.intro")}</p>
      <div className="consent-filter">
        <label>
          <input type="checkbox" checked={activeOnly} onChange={(e) => setActiveOnly(e.target.checked)} />{" "}
          {t("consents.activeOnly")}
        </label>
      </div>
      <ConsentPages key={String(activeOnly)} activeOnly={activeOnly} />
    </Page>
  );
}
