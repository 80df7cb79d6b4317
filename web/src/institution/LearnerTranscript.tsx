// A consenting learner's transcript as the institution reads it: the balance, certified
// results, credits by course (with the rule that granted them), certificates, and the
// redemption of credits for the courses the institution offers; the transcript also
// downloads as a signed CLR 2.0 credential.
import { useMemo } from "react";
import { useTranslation } from "react-i18next";
import { Link, useParams } from "react-router";
import { useQuery } from "urql";
import { graphql } from "../gql";
import { refusals } from "../api/refusals";
import { FormErrors } from "../ui/forms";
import { Card, Empty, Loading, Page } from "../ui/Page";
import { credits, day, instant } from "../ui/format";
import { TranscriptCredential } from "../credentials/TranscriptCredential";
import { RedeemCourses, type RedeemableCourse } from "./Redeem";
import { row } from "./shared";

const Transcript = graphql(`
  query InstitutionTranscript($id: ID!) {
    account(id: $id) {
      id
      displayName
      balance {
        available
        redeemed
        earned
      }
      outcomesConnection(first: 100, status: CERTIFIED) {
        totalCount
        nodes {
          id
          title
          kind
          issuer
          achievedOn
        }
      }
      conversionsConnection(first: 100) {
        totalCount
        nodes {
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
      }
      certificatesConnection(first: 100) {
        totalCount
        nodes {
          serial
          awardedAt
          flagged
          flagReason
          program {
            code
            name
          }
        }
      }
    }
    me {
      id
      institution {
        id
        coursesOffered {
          code
          name
        }
      }
    }
  }
`);

function Showing({ shown, count }: { shown: number; count: number }) {
  const { t } = useTranslation("institution");
  return shown < count ? <p className="muted">{t("transcript.showing", { shown, count })}</p> : null;
}

const STATUS_BADGE: Record<string, string> = {
  ACTIVE: "badge-ok",
  REDEEMED: "badge-info",
  EXPIRED: "badge-warn",
  REVOKED: "badge-danger",
};

export default function LearnerTranscript() {
  const { t } = useTranslation("institution");
  const { id = "" } = useParams();
  const [{ data, fetching, error }, reexecute] = useQuery({ query: Transcript, variables: { id } });
  const account = data?.account;
  const offered = data?.me?.institution?.coursesOffered;

  // the courses it offers that the learner holds credits for (the newest conversion of each)
  const redeemable = useMemo<RedeemableCourse[]>(() => {
    if (!account || !offered) return [];
    const offeredCodes = new Set(offered.map((course) => course.code));
    const seen = new Map<string, RedeemableCourse>();
    for (const conversion of account.conversionsConnection.nodes) {
      const code = conversion.course.code;
      if (!offeredCodes.has(code)) continue;
      const known = seen.get(code);
      // an active lot wins over a closed one
      if (!known || (known.status !== "ACTIVE" && conversion.status === "ACTIVE")) {
        seen.set(code, { code, name: conversion.course.name, credits: conversion.credits, status: conversion.status });
      }
    }
    return [...seen.values()];
  }, [account, offered]);

  const title = account ? t("transcript.title", { name: account.displayName }) : t("transcript.titlePlain");
  const back = (
    <Link to="/institution" className="button secondary small">
      {t("transcript.back")}
    </Link>
  );

  if (!data && fetching) {
    return (
      <Page title={title} actions={back}>
        <Loading />
      </Page>
    );
  }
  if (!account) {
    return (
      <Page title={title} actions={back}>
        {error ? <FormErrors refusals={refusals(error).general([])} /> : <Empty />}
      </Page>
    );
  }

  const results = account.outcomesConnection;
  const conversions = account.conversionsConnection;
  const certificates = account.certificatesConnection;
  return (
    <Page
      title={title}
      actions={
        <>
          <TranscriptCredential learner={account.id} />
          {back}
        </>
      }
    >
      {error ? <FormErrors refusals={refusals(error).general([])} /> : null}
      <Card title={t("transcript.balance")}>
        <div className="grid">
          <div>
            <div className="figure" data-testid="balance-available">
              {credits(account.balance.available)}
            </div>
            <div className="figure-label">{t("transcript.available")}</div>
          </div>
          <div>
            <div className="figure">{credits(account.balance.redeemed)}</div>
            <div className="figure-label">{t("transcript.redeemed")}</div>
          </div>
          <div>
            <div className="figure">{credits(account.balance.earned)}</div>
            <div className="figure-label">{t("transcript.earned")}</div>
          </div>
        </div>
      </Card>

      <Card title={t("redeem.title")}>
        <p className="muted" style={{ marginTop: 0 }}>
          {t("redeem.lead")}
        </p>
        <RedeemCourses
          learner={{ id: account.id, displayName: account.displayName }}
          courses={redeemable}
          offersAny={(offered?.length ?? 0) > 0}
          onRedeemed={() => reexecute({ requestPolicy: "network-only" })}
        />
      </Card>

      <Card title={t("transcript.conversions")}>
        {conversions.nodes.length === 0 ? (
          <Empty>{t("transcript.conversionsEmpty")}</Empty>
        ) : (
          <ul className="list">
            {conversions.nodes.map((conversion) => (
              <li key={conversion.id}>
                <div style={row}>
                  <div>
                    <strong>{conversion.course.name}</strong> <span className="muted">{conversion.course.code}</span>
                  </div>
                  <div>
                    {t("common:credits", { value: credits(conversion.credits) })}{" "}
                    <span className={`badge ${STATUS_BADGE[conversion.status] ?? "badge-info"}`}>{t(`status.${conversion.status}`)}</span>
                  </div>
                </div>
                <div className="muted">
                  {t("transcript.rule")} {t("transcript.ruleVersion", { version: conversion.ruleVersion })}: {conversion.explanation}
                </div>
                <div className="muted">
                  {t("transcript.convertedAt")} {instant(conversion.convertedAt)}
                  {conversion.expiresOn ? ` · ${t("transcript.expiresOn", { day: day(conversion.expiresOn) })}` : null}
                </div>
              </li>
            ))}
          </ul>
        )}
        <Showing shown={conversions.nodes.length} count={conversions.totalCount} />
      </Card>

      <Card title={t("transcript.results")}>
        {results.nodes.length === 0 ? (
          <Empty>{t("transcript.resultsEmpty")}</Empty>
        ) : (
          <div className="table-wrap" tabIndex={0} role="region" aria-label={t("transcript.results")}>
            <table style={{ minWidth: "34rem" }}>
              <thead>
                <tr>
                  <th scope="col">{t("transcript.result")}</th>
                  <th scope="col">{t("transcript.kind")}</th>
                  <th scope="col">{t("transcript.issuer")}</th>
                  <th scope="col">{t("transcript.achievedOn")}</th>
                </tr>
              </thead>
              <tbody>
                {results.nodes.map((result) => (
                  <tr key={result.id}>
                    <td>{result.title}</td>
                    <td>{t(`kind.${result.kind}`)}</td>
                    <td>{result.issuer}</td>
                    <td>{day(result.achievedOn)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
        <Showing shown={results.nodes.length} count={results.totalCount} />
      </Card>

      <Card title={t("transcript.certificates")}>
        {certificates.nodes.length === 0 ? (
          <Empty>{t("transcript.certificatesEmpty")}</Empty>
        ) : (
          <ul className="list">
            {certificates.nodes.map((certificate) => (
              <li key={certificate.serial}>
                <strong>{certificate.program.name}</strong>
                <div className="muted">
                  {t("transcript.serial")}: {certificate.serial} · {t("transcript.awardedAt")}: {instant(certificate.awardedAt)}
                </div>
                {certificate.flagged ? (
                  <div>
                    <span className="badge badge-warn">{t("transcript.flagged", { reason: certificate.flagReason ?? "" })}</span>
                  </div>
                ) : null}
              </li>
            ))}
          </ul>
        )}
        <Showing shown={certificates.nodes.length} count={certificates.totalCount} />
      </Card>
    </Page>
  );
}
