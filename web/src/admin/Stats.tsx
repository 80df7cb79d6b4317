// The bank's figures: cards of counts, and two charts (decisions per month, on time or
// late; credits per month by kind), each named for screen readers and followed by the
// same figures as a table. recharts is imported only here, in the lazy admin chunk.
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";
import { refusalsOf } from "../api/refusals";
import { graphql } from "../gql";
import { credits } from "../ui/format";
import { Card, Loading, Page } from "../ui/Page";
import type { ReactNode } from "react";

const AdminStats = graphql(`
  query AdminStats {
    stats {
      id
      accountsByRole {
        role
        count
        disabled
        closed
      }
      creditsByMonth {
        month
        converted
        redeemed
        expired
        revoked
        reversed
      }
      decisionsByMonth {
        month
        decided
        onTime
        late
      }
      openCases
      overdueCases
      resultsByStatus {
        status
        count
      }
      resultsByKind {
        kind
        count
      }
    }
  }
`);

// the figures' cards: two abreast even on a phone, their text without the page's margins
const FIGURE_GRID = { gridTemplateColumns: "repeat(auto-fit, minmax(9rem, 1fr))" };
const TIGHT = { margin: 0 };

const CREDIT_KINDS = ["converted", "redeemed", "expired", "revoked", "reversed"] as const;
// distinct hues, and each series also named in the legend and the table (colour is never
// the only signal)
const CREDIT_COLOURS: Record<(typeof CREDIT_KINDS)[number], string> = {
  converted: "#166534",
  redeemed: "#1d4ed8",
  expired: "#92400e",
  revoked: "#b91c1c",
  reversed: "#6b21a8",
};

function Chart({ id, title, summary, children, table, empty }: { id: string; title: string; summary: string; children: ReactNode; table: ReactNode; empty: boolean }) {
  const { t } = useTranslation("admin");
  return (
    <Card>
      <h2 id={id}>{title}</h2>
      <div className="chart" role="img" aria-label={`${title}. ${summary}`}>
        {children}
      </div>
      {empty ? <p className="muted">{t("stats.noData")}</p> : null}
      <details>
        <summary>{t("stats.showFigures")}</summary>
        <div className="table-wrap" tabIndex={0} role="region" aria-label={title}>
          {table}
        </div>
      </details>
    </Card>
  );
}

export default function Stats() {
  const { t, i18n } = useTranslation("admin");
  const [result] = useQuery({ query: AdminStats });
  const stats = result.data?.stats;
  const monthLabel = (month: string) => {
    const [y, m] = month.split("-").map(Number);
    if (!y || !m) return month;
    return new Intl.DateTimeFormat(i18n.language === "en" ? "en-GB" : "zh-CN", { year: "numeric", month: "short", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, 1)));
  };

  return (
    <Page title={t("nav.stats")}>
      {result.error && !stats ? (
        <p className="form-errors" role="alert">
          {refusalsOf(result.error)
            .map((r) => r.message)
            .join(" ")}
        </p>
      ) : null}
      {!stats ? (
        result.fetching ? <Loading /> : null
      ) : (
        <>
          <div className="grid" style={FIGURE_GRID}>
            <Card>
              <h2 className="figure-label">{t("stats.openCases")}</h2>
              <p style={TIGHT} className="figure" data-testid="stat-open">
                {stats.openCases}
              </p>
            </Card>
            <Card>
              <h2 className="figure-label">{t("stats.overdueCases")}</h2>
              <p style={TIGHT} className="figure" data-testid="stat-overdue">
                {stats.overdueCases}
              </p>
              {stats.overdueCases > 0 ? <span className="badge badge-danger">{t("stats.overdueNote")}</span> : null}
            </Card>
            {stats.accountsByRole.map((row) => (
              <Card key={row.role}>
                <h2 className="figure-label">{t(`common:role.${row.role}`)}</h2>
                <p style={TIGHT} className="figure">{row.count}</p>
                <p style={TIGHT} className="muted">{t("stats.roleDetail", { disabled: row.disabled, closed: row.closed })}</p>
              </Card>
            ))}
          </div>

          <Chart
            id="chart-decisions"
            empty={stats.decisionsByMonth.length === 0}
            title={t("stats.decisionsTitle")}
            summary={t("stats.decisionsSummary", {
              months: stats.decisionsByMonth.length,
              onTime: stats.decisionsByMonth.reduce((sum, m) => sum + m.onTime, 0),
              late: stats.decisionsByMonth.reduce((sum, m) => sum + m.late, 0),
            })}
            table={
              <table>
                <caption>{t("stats.decisionsTitle")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("stats.month")}</th>
                    <th scope="col">{t("stats.decided")}</th>
                    <th scope="col">{t("stats.onTime")}</th>
                    <th scope="col">{t("stats.late")}</th>
                  </tr>
                </thead>
                <tbody>
                  {stats.decisionsByMonth.map((m) => (
                    <tr key={m.month}>
                      <th scope="row">{monthLabel(m.month)}</th>
                      <td>{m.decided}</td>
                      <td>{m.onTime}</td>
                      <td>{m.late}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          >
              <ResponsiveContainer width="100%" height="100%">
                <BarChart accessibilityLayer={false} data={stats.decisionsByMonth} margin={{ top: 8, right: 8, bottom: 8, left: 0 }}>
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="month" tickFormatter={monthLabel} />
                  <YAxis allowDecimals={false} />
                  <Tooltip labelFormatter={(label) => monthLabel(String(label))} />
                  <Legend />
                  <Bar isAnimationActive={false} dataKey="onTime" name={t("stats.onTime")} stackId="d" fill="#166534" />
                  <Bar isAnimationActive={false} dataKey="late" name={t("stats.late")} stackId="d" fill="#b91c1c" />
                </BarChart>
              </ResponsiveContainer>
          </Chart>

          <Chart
            id="chart-credits"
            empty={stats.creditsByMonth.length === 0}
            title={t("stats.creditsTitle")}
            summary={t("stats.creditsSummary", { months: stats.creditsByMonth.length })}
            table={
              <table>
                <caption>{t("stats.creditsTitle")}</caption>
                <thead>
                  <tr>
                    <th scope="col">{t("stats.month")}</th>
                    {CREDIT_KINDS.map((kind) => (
                      <th scope="col" key={kind}>
                        {t(`stats.credit.${kind}`)}
                      </th>
                    ))}
                  </tr>
                </thead>
                <tbody>
                  {stats.creditsByMonth.map((m) => (
                    <tr key={m.month}>
                      <th scope="row">{monthLabel(m.month)}</th>
                      {CREDIT_KINDS.map((kind) => (
                        <td key={kind}>{credits(m[kind])}</td>
                      ))}
                    </tr>
                  ))}
                </tbody>
              </table>
            }
          >
              <ResponsiveContainer width="100%" height="100%">
                <BarChart
                  accessibilityLayer={false}
                  // Number() only to plot: the table shows the API's decimal strings
                  data={stats.creditsByMonth.map((m) => ({
                    month: m.month,
                    ...Object.fromEntries(CREDIT_KINDS.map((kind) => [kind, Number(m[kind])])),
                  }))}
                  margin={{ top: 8, right: 8, bottom: 8, left: 0 }}
                >
                  <CartesianGrid strokeDasharray="3 3" />
                  <XAxis dataKey="month" tickFormatter={monthLabel} />
                  <YAxis />
                  <Tooltip labelFormatter={(label) => monthLabel(String(label))} />
                  <Legend />
                  {CREDIT_KINDS.map((kind) => (
                    <Bar isAnimationActive={false} key={kind} dataKey={kind} name={t(`stats.credit.${kind}`)} fill={CREDIT_COLOURS[kind]} />
                  ))}
                </BarChart>
              </ResponsiveContainer>
          </Chart>

          <div className="grid">
            <Card title={t("stats.resultsByStatus")}>
              <div className="table-wrap" tabIndex={0} role="region" aria-label={t("stats.resultsByStatus")}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("stats.status")}</th>
                      <th scope="col">{t("stats.count")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.resultsByStatus.map((row) => (
                      <tr key={row.status}>
                        <th scope="row">{t(`stats.outcomeStatus.${row.status}`)}</th>
                        <td>{row.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
            <Card title={t("stats.resultsByKind")}>
              <div className="table-wrap" tabIndex={0} role="region" aria-label={t("stats.resultsByKind")}>
                <table>
                  <thead>
                    <tr>
                      <th scope="col">{t("stats.kind")}</th>
                      <th scope="col">{t("stats.count")}</th>
                    </tr>
                  </thead>
                  <tbody>
                    {stats.resultsByKind.map((row) => (
                      <tr key={row.kind}>
                        <th scope="row">{t(`stats.outcomeKind.${row.kind}`)}</th>
                        <td>{row.count}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            </Card>
          </div>
        </>
      )}
    </Page>
  );
}
