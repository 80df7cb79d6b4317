// /learner/institutions: the directory of member institutions (Chinese or English names,
// code, city), a page at a time; for each, "Grant access" until a day the learner picks
// (a year from today unless changed), or a new expiry for access already granted.
import { useEffect, useMemo, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { graphql } from "../gql";
import { refusals } from "../api/refusals";
import { FormErrors, TextField } from "../ui/forms";
import { Loading, Page } from "../ui/Page";
import { MoreButton, usePages } from "../ui/Paged";
import { day as formatDay, instant } from "../ui/format";
import { defaultExpiry, expiryBounds, expiryInstant, expiryProblem } from "./consentDates";
import "./consent.css";

const LearnerDirectoryInstitutions = graphql(`
  query LearnerDirectoryInstitutions($search: String, $first: Int, $after: String) {
    institutions(search: $search, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        code
        name
        nameZh
        nameEn
        city
      }
    }
  }
`);

const LearnerDirectoryConsents = graphql(`
  query LearnerDirectoryConsents {
    me {
      id
      consentsConnection(first: 100, activeOnly: true) {
        nodes {
          id
          expiresAt
          active
          institution {
            id
          }
        }
      }
    }
  }
`);

export const LearnerDirectoryGrant = graphql(`
  mutation LearnerDirectoryGrant($institutionId: ID!, $expiresAt: DateTime!) {
    grantConsent(institutionId: $institutionId, expiresAt: $expiresAt) {
      id
      grantedAt
      expiresAt
      revokedAt
      active
      institution {
        id
        displayName
      }
    }
  }
`);

const PAGE_SIZE = 20;

interface InstitutionItem {
  id: string;
  code: string;
  name: string;
  nameZh: string;
  nameEn: string;
  city: string;
}

/** The small form under an institution: the day access ends, checked here, then by the API. */
export function GrantForm({
  institution,
  onDone,
  onCancel,
}: {
  institution: InstitutionItem;
  onDone: (expiresAt: string) => void;
  onCancel: () => void;
}) {
  const { t } = useTranslation("consents");
  const [day, setDay] = useState(() => defaultExpiry());
  const [problem, setProblem] = useState<string | null>(null);
  const [result, grant] = useMutation(LearnerDirectoryGrant);
  const bounds = useMemo(() => expiryBounds(), []);
  const shown = refusals(result.error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    const wrong = expiryProblem(day);
    if (wrong) {
      setProblem(t(`directory.expiry.${wrong}`, { max: formatDay(bounds.max) }));
      return;
    }
    setProblem(null);
    const answer = await grant({ institutionId: institution.id, expiresAt: expiryInstant(day) });
    if (answer.data?.grantConsent) onDone(answer.data.grantConsent.expiresAt);
  }

  return (
    <form className="form narrow consent-grant" onSubmit={submit} noValidate aria-label={t("directory.grantFor", { name: institution.name })}>
      <TextField
        type="date"
        name="expiresAt"
        label={t("directory.expiresOn")}
        hint={t("directory.expiresHint")}
        value={day}
        min={bounds.min}
        max={bounds.max}
        required
        onChange={(e) => {
          setDay(e.target.value);
          setProblem(null);
        }}
        error={problem ?? shown.of("expiresAt")}
      />
      <FormErrors refusals={shown.general(["expiresAt"])} />
      <div className="actions">
        <button type="submit" disabled={result.fetching}>
          {t("directory.grant")}
        </button>
        <button type="button" className="secondary" onClick={onCancel}>
          {t("common:cancel")}
        </button>
      </div>
    </form>
  );
}

function InstitutionRow({
  institution,
  activeUntil,
  onGranted,
}: {
  institution: InstitutionItem;
  activeUntil: string | undefined;
  onGranted: () => void;
}) {
  const { t, i18n } = useTranslation("consents");
  const [open, setOpen] = useState(false);
  const [granted, setGranted] = useState<string | null>(null);
  const other = i18n.language === "en" ? institution.nameZh : institution.nameEn;
  return (
    <li>
      <h2 className="consent-name">{institution.name}</h2>
      {other && other !== institution.name ? (
        <p className="muted consent-other" lang={i18n.language === "en" ? "zh-CN" : "en"}>
          {other}
        </p>
      ) : null}
      <p className="consent-meta">
        <span>{t("directory.code", { code: institution.code })}</span>
        <span>{t("directory.city", { city: institution.city })}</span>
        {activeUntil ? <span className="badge badge-ok">{t("directory.activeUntil", { date: instant(activeUntil) })}</span> : null}
      </p>
      {granted ? (
        <p role="status" className="consent-done">
          {t("directory.granted", { name: institution.name, date: instant(granted) })}{" "}
          <Link to="/learner/consents">{t("directory.seeConsents")}</Link>
        </p>
      ) : null}
      {open ? (
        <GrantForm
          institution={institution}
          onCancel={() => setOpen(false)}
          onDone={(expiresAt) => {
            setOpen(false);
            setGranted(expiresAt);
            onGranted();
          }}
        />
      ) : (
        <button
          type="button"
          className="secondary"
          aria-label={t(activeUntil ? "directory.changeFor" : "directory.grantFor", { name: institution.name })}
          onClick={() => {
            setGranted(null);
            setOpen(true);
          }}
        >
          {t(activeUntil ? "directory.change" : "directory.grantAccess")}
        </button>
      )}
    </li>
  );
}

function DirectoryPage({
  search,
  after,
  last,
  onMore,
  activeUntil,
  onGranted,
}: {
  search: string;
  after: string | null;
  last: boolean;
  onMore: (cursor: string | null | undefined) => void;
  activeUntil: Map<string, string>;
  onGranted: () => void;
}) {
  const { t } = useTranslation("consents");
  const [result] = useQuery({
    query: LearnerDirectoryInstitutions,
    variables: { search: search || null, first: PAGE_SIZE, after },
  });
  const page = result.data?.institutions;
  if (!page) {
    if (result.error) return <FormErrors refusals={refusals(result.error).general([])} />;
    return <Loading />;
  }
  return (
    <>
      {page.nodes.length > 0 ? (
        <ul className="list consent-list">
          {page.nodes.map((institution) => (
            <InstitutionRow
              key={institution.id}
              institution={institution}
              activeUntil={activeUntil.get(institution.id)}
              onGranted={onGranted}
            />
          ))}
        </ul>
      ) : null}
      {last ? (
        <MoreButton
          pageInfo={page.pageInfo}
          total={page.totalCount}
          onMore={() => onMore(page.pageInfo.endCursor)}
          empty={search ? t("directory.noMatch", { search }) : t("directory.empty")}
        />
      ) : null}
    </>
  );
}

/** The pages of one search (a new search starts again from its first page). */
function Results({
  search,
  activeUntil,
  onGranted,
}: {
  search: string;
  activeUntil: Map<string, string>;
  onGranted: () => void;
}) {
  const pages = usePages();
  return (
    <>
      {pages.afters.map((after, index) => (
        <DirectoryPage
          key={after ?? ""}
          search={search}
          after={after}
          last={index === pages.afters.length - 1}
          onMore={pages.more}
          activeUntil={activeUntil}
          onGranted={onGranted}
        />
      ))}
    </>
  );
}

export default function Directory() {
  const { t } = useTranslation("consents");
  const [typed, setTyped] = useState("");
  const [search, setSearch] = useState("");
  const [consents, refetchConsents] = useQuery({ query: LearnerDirectoryConsents });

  // search as the learner types, once they pause
  useEffect(() => {
    const timer = setTimeout(() => setSearch(typed.trim()), 300);
    return () => clearTimeout(timer);
  }, [typed]);

  const activeUntil = useMemo(() => {
    const map = new Map<string, string>();
    for (const consent of consents.data?.me?.consentsConnection.nodes ?? []) {
      if (consent.active) map.set(consent.institution.id, consent.expiresAt);
    }
    return map;
  }, [consents.data]);

  return (
    <Page title={t("directory.title")}>
      <p className="lead">{t("directory.intro")}</p>
      <form
        className="consent-search"
        role="search"
        onSubmit={(e) => {
          e.preventDefault();
          setSearch(typed.trim());
        }}
      >
        <TextField
          type="search"
          label={t("directory.search")}
          hint={t("directory.searchHint")}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
        />
        <button type="submit" className="secondary">
          {t("common:search")}
        </button>
      </form>
      <Results
        key={search}
        search={search}
        activeUntil={activeUntil}
        onGranted={() => refetchConsents({ requestPolicy: "network-only" })}
      />
    </Page>
  );
}
