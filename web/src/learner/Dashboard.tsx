// The learner's account at a glance: the balance (available, earned, redeemed,
// expired), the programme certificates awarded (each downloadable as a signed Open Badges
// 3.0 credential, with a share link), the latest results and "Add results".
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useQuery } from "urql";
import { refusals } from "../api/refusals";
import { CertificateCredential } from "../credentials/CertificateCredential";
import { graphql } from "../gql";
import { credits, day, instant } from "../ui/format";
import { FormErrors } from "../ui/forms";
import { Empty, Loading, Page } from "../ui/Page";
import { Section } from "./Section";
import { StatusBadge } from "./status";
import "./learner.css";

const DashboardQuery = graphql(`
  query LearnerDashboard {
    me {
      id
      displayName
      balance {
        available
        earned
        redeemed
        expired
      }
      certificatesConnection(first: 10) {
        totalCount
        edges {
          cursor
        }
        nodes {
          serial
          awardedAt
          flagged
          flagReason
          credentialUrl
          program {
            code
            name
          }
        }
      }
      outcomesConnection(first: 5) {
        totalCount
        nodes {
          id
          title
          kind
          status
          submittedAt
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

const FIGURES = ["available", "earned", "redeemed", "expired"] as const;

export default function Dashboard() {
  const { t } = useTranslation("learner");
  const context = useMemo(() => ({ additionalTypenames: ["Outcome", "Conversion", "AwardedCertificate"] }), []);
  const [result] = useQuery({ query: DashboardQuery, context });
  const me = result.data?.me;
  const addButton = (
    <Link to="/learner/results/new" className="button add-button">
      {t("nav.addResult")}
    </Link>
  );
  return (
    <Page title={me?.displayName || t("dashboard.title")} actions={addButton}>
      {result.error ? <FormErrors refusals={refusals(result.error).general([])} /> : null}
      {!me && result.fetching ? <Loading /> : null}
      {me ? (
        <>
          <section aria-labelledby="balance-title" className="balance">
            <h2 id="balance-title">{t("dashboard.balance")}</h2>
            <div className="grid figures">
              {FIGURES.map((name) => (
                <div className={`card figure-card figure-${name}`} key={name} data-testid={`balance-${name}`}>
                  <div className="figure-label">{t(`dashboard.${name}`)}</div>
                  <div className="figure">{credits(me.balance[name])}</div>
                  <div className="figure-unit muted">{t("dashboard.creditsUnit")}</div>
                </div>
              ))}
            </div>
            <p className="hint">
              <Link to="/learner/transcript">{t("dashboard.toTranscript")}</Link>
            </p>
          </section>

          <Section title={t("dashboard.latest")}>
            {me.outcomesConnection.nodes.length === 0 ? (
              <div className="empty-add">
                <Empty>{t("dashboard.noResults")}</Empty>
                {addButton}
              </div>
            ) : (
              <>
                <ul className="list results-list">
                  {me.outcomesConnection.nodes.map((outcome) => (
                    <li key={outcome.id}>
                      <div className="result-row">
                        <Link to={`/learner/results/${outcome.id}`} className="result-title">
                          {outcome.title}
                        </Link>
                        <StatusBadge status={outcome.status} />
                      </div>
                      <div className="muted result-meta">
                        {t(`kind.${outcome.kind}`)} · {t("dashboard.submitted", { when: instant(outcome.submittedAt) })}
                        {outcome.certification && ["SUBMITTED", "IN_REVIEW"].includes(outcome.status) ? (
                          <> · {t("results.dueOn", { day: day(outcome.certification.dueOn) })}</>
                        ) : null}
                      </div>
                    </li>
                  ))}
                </ul>
                <p>
                  <Link to="/learner/results">{t("dashboard.allResults", { count: me.outcomesConnection.totalCount })}</Link>
                </p>
              </>
            )}
          </Section>

          <Section title={t("dashboard.certificates")}>
            {me.certificatesConnection.nodes.length === 0 ? (
              <Empty>{t("dashboard.noCertificates")}</Empty>
            ) : (
              <ul className="list">
                {me.certificatesConnection.nodes.map((certificate, index) => (
                  <li key={certificate.serial}>
                    <div className="result-row">
                      <strong>{certificate.program.name}</strong>
                      {certificate.flagged ? (
                        <span className="badge badge-warn">{t("dashboard.flagged")}</span>
                      ) : (
                        <span className="badge badge-ok">{t("dashboard.awarded")}</span>
                      )}
                    </div>
                    <div className="muted">
                      {t("dashboard.serial", { serial: certificate.serial })} · {instant(certificate.awardedAt)}
                    </div>
                    {certificate.flagged && certificate.flagReason ? <p className="hint">{certificate.flagReason}</p> : null}
                    <CertificateCredential
                      serial={certificate.serial}
                      name={certificate.program.name}
                      after={index > 0 ? (me.certificatesConnection.edges[index - 1]?.cursor ?? null) : null}
                      shareUrl={certificate.credentialUrl}
                    />
                  </li>
                ))}
              </ul>
            )}
            {me.certificatesConnection.totalCount > me.certificatesConnection.nodes.length ? (
              <p>
                <Link to="/learner/transcript">{t("dashboard.allCertificates", { count: me.certificatesConnection.totalCount })}</Link>
              </p>
            ) : null}
          </Section>
        </>
      ) : null}
    </Page>
  );
}
