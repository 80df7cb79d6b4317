// /learner/transcript: the learner's transcript as a document to print: who, when printed,
// the totals; credits by major and course (with the result each came from); the
// certified results; the certificates. Every page of each list is read, so the printout
// holds everything. The transcript downloads as a signed CLR 2.0 credential, and each
// certificate as an Open Badges 3.0 one.
import { useEffect, useMemo, useState } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { createRequest, useClient, useQuery, type Client } from "urql";
import { filter, pipe, take, toPromise } from "wonka";
import type { TypedDocumentNode } from "@graphql-typed-document-node/core";
import { graphql } from "../gql";
import type { LearnerTranscriptQuery } from "../gql/graphql";
import { refusals } from "../api/refusals";
import { FormErrors } from "../ui/forms";
import { Loading, Page } from "../ui/Page";
import { credits, day, instant } from "../ui/format";
import { CertificateCredential } from "../credentials/CertificateCredential";
import { TranscriptCredential } from "../credentials/TranscriptCredential";
import { sumCredits } from "./transcriptMath";
import "./transcript.css";

const LearnerTranscript = graphql(`
  query LearnerTranscript {
    me {
      id
      displayName
      email
      balance {
        available
        redeemed
        expired
        earned
      }
      outcomesConnection(first: 100, status: CERTIFIED) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...LearnerTranscriptOutcome
        }
      }
      conversionsConnection(first: 100) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...LearnerTranscriptConversion
        }
      }
      certificatesConnection(first: 100) {
        totalCount
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
        }
        nodes {
          ...LearnerTranscriptCertificate
        }
      }
    }
  }
`);

graphql(`
  fragment LearnerTranscriptOutcome on Outcome {
    id
    title
    issuer
    kind
    achievedOn
    hours
    certification {
      id
      decidedAt
    }
  }
`);

graphql(`
  fragment LearnerTranscriptConversion on Conversion {
    id
    credits
    status
    convertedAt
    expiresOn
    course {
      code
      name
      credits
      major {
        code
        name
      }
    }
    outcome {
      id
      title
    }
  }
`);

graphql(`
  fragment LearnerTranscriptCertificate on AwardedCertificate {
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
`);

const LearnerTranscriptMoreOutcomes = graphql(`
  query LearnerTranscriptMoreOutcomes($after: String) {
    me {
      id
      outcomesConnection(first: 100, after: $after, status: CERTIFIED) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...LearnerTranscriptOutcome
        }
      }
    }
  }
`);

const LearnerTranscriptMoreConversions = graphql(`
  query LearnerTranscriptMoreConversions($after: String) {
    me {
      id
      conversionsConnection(first: 100, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        nodes {
          ...LearnerTranscriptConversion
        }
      }
    }
  }
`);

const LearnerTranscriptMoreCertificates = graphql(`
  query LearnerTranscriptMoreCertificates($after: String) {
    me {
      id
      certificatesConnection(first: 100, after: $after) {
        pageInfo {
          hasNextPage
          endCursor
        }
        edges {
          cursor
        }
        nodes {
          ...LearnerTranscriptCertificate
        }
      }
    }
  }
`);

interface Paged<N> {
  pageInfo: { hasNextPage: boolean; endCursor?: string | null };
  nodes: N[];
}

/** The nodes of the pages after a first one, read one after another. */
async function rest<R, N>(
  client: Client,
  query: TypedDocumentNode<R, { after?: string | null }>,
  pick: (data: R) => Paged<N> | null | undefined,
  first: Paged<N>,
): Promise<N[]> {
  const nodes: N[] = [];
  let info = first.pageInfo;
  while (info.hasNextPage && info.endCursor) {
    const result = await pipe(
      client.executeQuery(createRequest(query, { after: info.endCursor }), { requestPolicy: "network-only" }),
      filter((r) => !r.stale && !r.hasNext),
      take(1),
      toPromise,
    );
    const page = result.data ? pick(result.data as R) : null;
    if (!page) throw result.error ?? new Error("no page");
    nodes.push(...page.nodes);
    info = page.pageInfo;
  }
  return nodes;
}

type Me = NonNullable<LearnerTranscriptQuery["me"]>;
/** A certificate with its edge's cursor (the lookup of the one after it asks for its credential). */
type CertificateItem = Me["certificatesConnection"]["nodes"][number] & { cursor: string | null };

/** A page of certificates, each node with its edge's cursor. */
function withCursors<N>(page: { pageInfo: Paged<N>["pageInfo"]; edges: { cursor: string }[]; nodes: N[] }): Paged<N & { cursor: string | null }> {
  return { pageInfo: page.pageInfo, nodes: page.nodes.map((node, index) => ({ ...node, cursor: page.edges[index]?.cursor ?? null })) };
}

function useTranscript() {
  const client = useClient();
  const [result] = useQuery({ query: LearnerTranscript });
  const me = result.data?.me ?? null;
  const [more, setMore] = useState<{
    of: unknown;
    outcomes: Me["outcomesConnection"]["nodes"];
    conversions: Me["conversionsConnection"]["nodes"];
    certificates: CertificateItem[];
    error: Error | null;
  } | null>(null);

  useEffect(() => {
    if (!me) return;
    const needsMore =
      me.outcomesConnection.pageInfo.hasNextPage ||
      me.conversionsConnection.pageInfo.hasNextPage ||
      me.certificatesConnection.pageInfo.hasNextPage;
    if (!needsMore) return;
    let cancelled = false;
    Promise.all([
      rest(client, LearnerTranscriptMoreOutcomes, (d) => d.me?.outcomesConnection, me.outcomesConnection),
      rest(client, LearnerTranscriptMoreConversions, (d) => d.me?.conversionsConnection, me.conversionsConnection),
      rest(
        client,
        LearnerTranscriptMoreCertificates,
        (d) => (d.me ? withCursors(d.me.certificatesConnection) : null),
        withCursors(me.certificatesConnection),
      ),
    ]).then(
      ([outcomes, conversions, certificates]) => {
        if (!cancelled) setMore({ of: me, outcomes, conversions, certificates, error: null });
      },
      (error: Error) => {
        if (!cancelled) setMore({ of: me, outcomes: [], conversions: [], certificates: [], error });
      },
    );
    return () => {
      cancelled = true;
    };
  }, [client, me]);

  const current = more && more.of === me ? more : null;
  const complete =
    me !== null &&
    (current !== null ||
      !(
        me.outcomesConnection.pageInfo.hasNextPage ||
        me.conversionsConnection.pageInfo.hasNextPage ||
        me.certificatesConnection.pageInfo.hasNextPage
      ));
  return {
    me,
    error: result.error ?? current?.error ?? null,
    complete,
    outcomes: me ? [...me.outcomesConnection.nodes, ...(current?.outcomes ?? [])] : [],
    conversions: me ? [...me.conversionsConnection.nodes, ...(current?.conversions ?? [])] : [],
    certificates: me ? [...withCursors(me.certificatesConnection).nodes, ...(current?.certificates ?? [])] : [],
  };
}

const STATUS_BADGE: Record<string, string> = {
  ACTIVE: "badge-ok",
  REDEEMED: "badge-info",
  EXPIRED: "badge-warn",
  REVOKED: "badge-danger",
};

type ConversionItem = Me["conversionsConnection"]["nodes"][number];

interface MajorGroup {
  code: string;
  name: string;
  conversions: ConversionItem[];
  subtotal: string;
}

/** The conversions by major (by code), each major's by course code; revoked ones are shown
 * but not counted. */
function byMajor(conversions: ConversionItem[]): MajorGroup[] {
  const groups = new Map<string, MajorGroup>();
  for (const conversion of conversions) {
    const major = conversion.course.major;
    let group = groups.get(major.code);
    if (!group) {
      group = { code: major.code, name: major.name, conversions: [], subtotal: "0.0" };
      groups.set(major.code, group);
    }
    group.conversions.push(conversion);
  }
  const sorted = [...groups.values()].sort((a, b) => a.code.localeCompare(b.code));
  for (const group of sorted) {
    group.conversions.sort((a, b) => a.course.code.localeCompare(b.course.code) || a.convertedAt.localeCompare(b.convertedAt));
    group.subtotal = sumCredits(group.conversions.filter((c) => c.status !== "REVOKED").map((c) => c.credits));
  }
  return sorted;
}

function Figure({ label, value }: { label: string; value: string }) {
  return (
    <div className="transcript-figure">
      <div className="figure">{value}</div>
      <div className="figure-label">{label}</div>
    </div>
  );
}

export default function Transcript() {
  const { t } = useTranslation("consents");
  const { me, error, complete, outcomes, conversions, certificates } = useTranscript();
  const majors = useMemo(() => byMajor(conversions), [conversions]);
  const courses = useMemo(
    () => new Set(conversions.filter((c) => c.status !== "REVOKED").map((c) => c.course.code)).size,
    [conversions],
  );
  const printed = useMemo(() => instant(new Date().toISOString()), []);

  if (!me) {
    return (
      <Page title={t("transcript.title")}>
        {error ? <FormErrors refusals={refusals(error).general([])} /> : <Loading />}
      </Page>
    );
  }

  return (
    <Page
      title={t("transcript.title")}
      actions={
        <>
          <TranscriptCredential />
          <button type="button" className="no-print" onClick={() => window.print()} disabled={!complete}>
            {t("transcript.print")}
          </button>
        </>
      }
    >
      {error ? <FormErrors refusals={refusals(error).general([])} /> : null}
      {!complete ? <Loading /> : null}
      <article className="transcript">
        <header className="card transcript-head">
          <p className="transcript-bank">{t("common:brandLong")}</p>
          <dl className="facts">
            <dt>{t("transcript.learner")}</dt>
            <dd className="transcript-learner">{me.displayName}</dd>
            <dt>{t("transcript.email")}</dt>
            <dd>{me.email}</dd>
            <dt>{t("transcript.account")}</dt>
            <dd className="transcript-id">{me.id}</dd>
            <dt>{t("transcript.printed")}</dt>
            <dd>{printed}</dd>
          </dl>
          <h2 className="transcript-totals-title">{t("transcript.totals")}</h2>
          <div className="grid transcript-totals">
            <Figure label={t("transcript.earned")} value={credits(me.balance.earned)} />
            <Figure label={t("transcript.available")} value={credits(me.balance.available)} />
            <Figure label={t("transcript.redeemed")} value={credits(me.balance.redeemed)} />
            <Figure label={t("transcript.expired")} value={credits(me.balance.expired)} />
            <Figure label={t("transcript.coursesCredited")} value={String(courses)} />
            <Figure label={t("transcript.resultsCertified")} value={String(me.outcomesConnection.totalCount)} />
            <Figure label={t("transcript.certificatesAwarded")} value={String(me.certificatesConnection.totalCount)} />
          </div>
        </header>

        <section className="card transcript-section" aria-labelledby="transcript-credits">
          <h2 id="transcript-credits">{t("transcript.credits")}</h2>
          {majors.length === 0 ? (
            <p className="muted">
              {t("transcript.noCredits")}{" "}
              <Link to="/learner/results/new" className="no-print">
                {t("transcript.addResults")}
              </Link>
            </p>
          ) : (
            majors.map((major) => (
              <div className="transcript-major" key={major.code}>
                <h3>
                  {major.name} <span className="muted">({major.code})</span>
                </h3>
                <div className="table-wrap transcript-table">
                  <table>
                    <thead>
                      <tr>
                        <th scope="col">{t("transcript.course")}</th>
                        <th scope="col">{t("transcript.courseCode")}</th>
                        <th scope="col" className="num">
                          {t("transcript.creditsColumn")}
                        </th>
                        <th scope="col">{t("transcript.fromResult")}</th>
                        <th scope="col">{t("transcript.convertedOn")}</th>
                        <th scope="col">{t("transcript.status")}</th>
                      </tr>
                    </thead>
                    <tbody>
                      {major.conversions.map((conversion) => (
                        <tr key={conversion.id} className={conversion.status === "REVOKED" ? "transcript-revoked" : undefined}>
                          <td data-label={t("transcript.course")}>{conversion.course.name}</td>
                          <td data-label={t("transcript.courseCode")} className="nowrap">
                            {conversion.course.code}
                          </td>
                          <td data-label={t("transcript.creditsColumn")} className="num">
                            {credits(conversion.credits)}
                          </td>
                          <td data-label={t("transcript.fromResult")}>{conversion.outcome.title}</td>
                          <td data-label={t("transcript.convertedOn")}>
                            <div>
                              {instant(conversion.convertedAt)}
                              {conversion.expiresOn ? (
                                <div className="muted">{t("transcript.validUntil", { date: day(conversion.expiresOn) })}</div>
                              ) : null}
                            </div>
                          </td>
                          <td data-label={t("transcript.status")}>
                            <span className={`badge ${STATUS_BADGE[conversion.status] ?? ""}`}>
                              {t(`transcript.conversionStatus.${conversion.status}`)}
                            </span>
                          </td>
                        </tr>
                      ))}
                    </tbody>
                    <tfoot>
                      <tr>
                        <th scope="row" colSpan={2}>
                          {t("transcript.subtotal")}
                        </th>
                        <td className="num">
                          <strong>{credits(major.subtotal)}</strong>
                        </td>
                        <td colSpan={3} className="transcript-filler" />
                      </tr>
                    </tfoot>
                  </table>
                </div>
              </div>
            ))
          )}
        </section>

        <section className="card transcript-section" aria-labelledby="transcript-results">
          <h2 id="transcript-results">{t("transcript.results")}</h2>
          {outcomes.length === 0 ? (
            <p className="muted">{t("transcript.noResults")}</p>
          ) : (
            <div className="table-wrap transcript-table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("transcript.result")}</th>
                    <th scope="col">{t("transcript.kind")}</th>
                    <th scope="col">{t("transcript.issuer")}</th>
                    <th scope="col">{t("transcript.achievedOn")}</th>
                    <th scope="col">{t("transcript.certifiedOn")}</th>
                  </tr>
                </thead>
                <tbody>
                  {outcomes.map((outcome) => (
                    <tr key={outcome.id}>
                      <td data-label={t("transcript.result")}>
                        <div>
                          {outcome.title}
                          {outcome.hours ? <div className="muted">{t("transcript.hours", { count: outcome.hours })}</div> : null}
                        </div>
                      </td>
                      <td data-label={t("transcript.kind")}>{t(`kind.${outcome.kind}`)}</td>
                      <td data-label={t("transcript.issuer")}>{outcome.issuer}</td>
                      <td data-label={t("transcript.achievedOn")}>{day(outcome.achievedOn)}</td>
                      <td data-label={t("transcript.certifiedOn")}>{outcome.certification?.decidedAt ? instant(outcome.certification.decidedAt) : ""}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>

        <section className="card transcript-section" aria-labelledby="transcript-certificates">
          <h2 id="transcript-certificates">{t("transcript.certificates")}</h2>
          {certificates.length === 0 ? (
            <p className="muted">{t("transcript.noCertificates")}</p>
          ) : (
            <div className="table-wrap transcript-table">
              <table>
                <thead>
                  <tr>
                    <th scope="col">{t("transcript.certificate")}</th>
                    <th scope="col">{t("transcript.serial")}</th>
                    <th scope="col">{t("transcript.awardedOn")}</th>
                  </tr>
                </thead>
                <tbody>
                  {certificates.map((certificate, index) => (
                    <tr key={certificate.serial}>
                      <td data-label={t("transcript.certificate")}>
                        <div>
                          {certificate.program.name}
                          {certificate.flagged ? (
                            <div>
                              <span className="badge badge-warn">{t("transcript.flagged")}</span>{" "}
                              {certificate.flagReason ? <span className="muted">{certificate.flagReason}</span> : null}
                            </div>
                          ) : null}
                          <CertificateCredential
                            serial={certificate.serial}
                            name={certificate.program.name}
                            after={index > 0 ? certificates[index - 1].cursor : null}
                            shareUrl={certificate.credentialUrl}
                          />
                        </div>
                      </td>
                      <td data-label={t("transcript.serial")}>
                        <span className="transcript-id">{certificate.serial}</span>
                      </td>
                      <td data-label={t("transcript.awardedOn")}>{instant(certificate.awardedAt)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          )}
        </section>
        <p className="muted transcript-foot">{t("transcript.foot", { date: printed })}</p>
      </article>
    </Page>
  );
}
