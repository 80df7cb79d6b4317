// The catalog: majors, courses, credential types, conversion rules (each edit a new
// version in force from a day), certificate programmes and the annual cap. Each a paged
// table (retired entries on request), a form to add or edit (names in both languages),
// "Retire" from a day, and a link to the entry's change history.
import { useMemo, useState, type FormEvent, type ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Link, useSearchParams } from "react-router";
import { useMutation, useQuery } from "urql";
import { refusals } from "../api/refusals";
import { graphql } from "../gql";
import type { CatalogKind, OutcomeKind } from "../gql/graphql";
import { FormErrors, TextField } from "../ui/forms";
import { credits, day, today } from "../ui/format";
import { Card, Loading, Page } from "../ui/Page";
import { useToast } from "../ui/toasts";
import { EntryForm, type FieldSpec, type Values } from "./entryForm";
import { PagedTable } from "./paged";

// ---- operations -------------------------------------------------------------------

const AdminCatalogMajors = graphql(`
  query AdminCatalogMajors($first: Int, $after: String, $includeRetired: Boolean) {
    majorsConnection(first: $first, after: $after, includeRetired: $includeRetired) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        code
        name
        nameEn
        nameZh
        descriptionEn
        descriptionZh
        credentialCreditCap
        retiredFrom
      }
    }
  }
`);

const AdminCatalogCourses = graphql(`
  query AdminCatalogCourses($first: Int, $after: String, $includeRetired: Boolean) {
    coursesConnection(first: $first, after: $after, includeRetired: $includeRetired) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        code
        name
        nameEn
        nameZh
        descriptionEn
        descriptionZh
        credits
        retiredFrom
        major {
          code
          name
        }
      }
    }
  }
`);

const AdminCatalogCredentials = graphql(`
  query AdminCatalogCredentials($first: Int, $after: String, $includeRetired: Boolean) {
    credentialTypesConnection(first: $first, after: $after, includeRetired: $includeRetired) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        code
        name
        nameEn
        nameZh
        descriptionEn
        descriptionZh
        authority
        retiredFrom
      }
    }
  }
`);

const AdminCatalogRules = graphql(`
  query AdminCatalogRules($first: Int, $after: String, $includeRetired: Boolean) {
    conversionRulesConnection(first: $first, after: $after, includeRetired: $includeRetired) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        credentialCode
        outcomeKind
        minHours
        credits
        validFrom
        validUntil
        creditValidityYears
        allowPartial
        version
        effectiveFrom
        retiredFrom
        course {
          code
          name
        }
        versions {
          id
          version
          effectiveFrom
          credits
          minHours
          validFrom
          validUntil
          creditValidityYears
          allowPartial
        }
      }
    }
  }
`);

const AdminCatalogPrograms = graphql(`
  query AdminCatalogPrograms($first: Int, $after: String, $includeRetired: Boolean) {
    certificateProgramsConnection(first: $first, after: $after, includeRetired: $includeRetired) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        code
        name
        nameEn
        nameZh
        descriptionEn
        descriptionZh
        minCredits
        retiredFrom
        requiredCourses {
          code
          name
        }
      }
    }
  }
`);

const AdminCatalogCodes = graphql(`
  query AdminCatalogCodes {
    majorsConnection(first: 100) {
      nodes {
        code
        name
      }
    }
    coursesConnection(first: 100) {
      nodes {
        code
        name
      }
    }
    credentialTypesConnection(first: 100) {
      nodes {
        code
        name
      }
    }
  }
`);

/** The catalog's codes (its first hundred of each kind) to offer in the forms. */
function useCodes() {
  const [result] = useQuery({ query: AdminCatalogCodes });
  const data = result.data;
  return useMemo(() => {
    const of = (nodes: { code: string; name: string }[] | undefined) => (nodes ?? []).map((n) => ({ value: n.code, label: n.name }));
    return { majors: of(data?.majorsConnection.nodes), courses: of(data?.coursesConnection.nodes), credentials: of(data?.credentialTypesConnection.nodes) };
  }, [data]);
}

const AdminCatalogCaps = graphql(`
  query AdminCatalogCaps {
    conversionCaps {
      annualCredits
    }
  }
`);

const AdminUpsertMajor = graphql(`
  mutation AdminUpsertMajor($code: String!, $name: String!, $nameZh: String, $credentialCreditCap: Decimal, $description: String, $descriptionZh: String) {
    upsertMajor(code: $code, name: $name, nameZh: $nameZh, credentialCreditCap: $credentialCreditCap, description: $description, descriptionZh: $descriptionZh) {
      code
      name
      nameEn
      nameZh
      credentialCreditCap
    }
  }
`);

const AdminUpsertCourse = graphql(`
  mutation AdminUpsertCourse($code: String!, $name: String!, $credits: Decimal!, $majorCode: String!, $nameZh: String, $description: String, $descriptionZh: String) {
    upsertCourse(code: $code, name: $name, credits: $credits, majorCode: $majorCode, nameZh: $nameZh, description: $description, descriptionZh: $descriptionZh) {
      code
      name
      nameEn
      nameZh
      credits
    }
  }
`);

const AdminUpsertCredential = graphql(`
  mutation AdminUpsertCredential($code: String!, $name: String!, $authority: String!, $nameZh: String, $description: String, $descriptionZh: String) {
    upsertCredentialType(code: $code, name: $name, authority: $authority, nameZh: $nameZh, description: $description, descriptionZh: $descriptionZh) {
      code
      name
      nameEn
      nameZh
      authority
    }
  }
`);

const AdminUpsertRule = graphql(`
  mutation AdminUpsertRule(
    $id: ID
    $courseCode: String!
    $credits: Decimal!
    $validFrom: Date!
    $credentialCode: String
    $outcomeKind: OutcomeKind
    $minHours: Int
    $validUntil: Date
    $creditValidityYears: Int
    $allowPartial: Boolean!
    $effectiveFrom: Date
  ) {
    upsertConversionRule(
      id: $id
      courseCode: $courseCode
      credits: $credits
      validFrom: $validFrom
      credentialCode: $credentialCode
      outcomeKind: $outcomeKind
      minHours: $minHours
      validUntil: $validUntil
      creditValidityYears: $creditValidityYears
      allowPartial: $allowPartial
      effectiveFrom: $effectiveFrom
    ) {
      id
      version
      effectiveFrom
      credits
    }
  }
`);

const AdminUpsertProgram = graphql(`
  mutation AdminUpsertProgram($code: String!, $name: String!, $requiredCourseCodes: [String!]!, $minCredits: Decimal, $nameZh: String, $description: String, $descriptionZh: String) {
    upsertCertificateProgram(
      code: $code
      name: $name
      requiredCourseCodes: $requiredCourseCodes
      minCredits: $minCredits
      nameZh: $nameZh
      description: $description
      descriptionZh: $descriptionZh
    ) {
      code
      name
      nameEn
      nameZh
      minCredits
    }
  }
`);

const AdminSetCaps = graphql(`
  mutation AdminSetCaps($annualCredits: Decimal!) {
    setConversionCaps(annualCredits: $annualCredits) {
      annualCredits
    }
  }
`);

const AdminRetireEntry = graphql(`
  mutation AdminRetireEntry($kind: CatalogKind!, $code: String!, $retiredFrom: Date!) {
    retireCatalogEntry(kind: $kind, code: $code, retiredFrom: $retiredFrom) {
      id
      kind
      code
      action
      changedAt
    }
  }
`);

// ---- shared pieces --------------------------------------------------------------------

const TABS = ["majors", "courses", "credentials", "rules", "programs", "caps"] as const;
type Tab = (typeof TABS)[number];

const OUTCOME_KINDS: OutcomeKind[] = ["QUALIFICATION_CERTIFICATE", "VOCATIONAL_TRAINING", "ONLINE_COURSE", "ACADEMIC_COURSE", "WORK_EXPERIENCE", "OTHER"];

const NAME_FIELDS: FieldSpec[] = [
  { name: "nameZh", label: "catalog.field.nameZh", kind: "text", lang: "zh-CN" },
  { name: "name", label: "catalog.field.nameEn", kind: "text", required: true, lang: "en" },
  { name: "descriptionZh", label: "catalog.field.descriptionZh", kind: "textarea", lang: "zh-CN" },
  { name: "description", label: "catalog.field.descriptionEn", kind: "textarea", lang: "en" },
];

const CODE_FIELD: FieldSpec = { name: "code", label: "catalog.field.code", kind: "text", required: true, fixedOnEdit: true };

interface Named {
  nameEn?: string | null;
  nameZh?: string | null;
  descriptionEn?: string | null;
  descriptionZh?: string | null;
}

function namesOf(entry: Named): Values {
  return {
    name: entry.nameEn ?? "",
    nameZh: entry.nameZh ?? "",
    description: entry.descriptionEn ?? "",
    descriptionZh: entry.descriptionZh ?? "",
  };
}

/** The entry's names in both languages, each marked with its language. */
function BothNames({ entry }: { entry: Named & { name: string } }) {
  return (
    <>
      <span lang="zh-CN">{entry.nameZh ?? entry.name}</span>
      {entry.nameEn ? (
        <>
          <br />
          <span lang="en" className="muted">
            {entry.nameEn}
          </span>
        </>
      ) : null}
    </>
  );
}

function RetiredBadge({ retiredFrom }: { retiredFrom?: string | null }) {
  const { t } = useTranslation("admin");
  if (!retiredFrom) return null;
  const past = retiredFrom <= today();
  return <span className={`badge ${past ? "badge-danger" : "badge-warn"}`}>{t(past ? "catalog.retiredOn" : "catalog.retiresOn", { day: day(retiredFrom) })}</span>;
}

/** "Retire" from a day (today by default), confirmed in place. */
function RetireControl({ kind, code, label, typenames }: { kind: CatalogKind; code: string; label: string; typenames: string[] }) {
  const { t } = useTranslation("admin");
  const toast = useToast();
  const [open, setOpen] = useState(false);
  const [when, setWhen] = useState(today());
  const [result, retire] = useMutation(AdminRetireEntry);
  const shown = refusals(result.error);
  if (!open) {
    return (
      <button type="button" className="secondary small" onClick={() => setOpen(true)} aria-label={t("catalog.retireOf", { name: label })}>
        {t("catalog.retire")}
      </button>
    );
  }
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const answer = await retire({ kind, code, retiredFrom: when }, { additionalTypenames: [...typenames, "CatalogChangeConnection"] });
    if (answer.data?.retireCatalogEntry) {
      toast(t("catalog.retiredToast", { name: label, day: day(when) }));
      setOpen(false);
    }
  };
  return (
    <form className="form" onSubmit={submit} noValidate style={{ minWidth: "14rem" }}>
      <TextField label={t("catalog.retireFrom", { name: label })} type="date" value={when} min={today()} onChange={(e) => setWhen(e.target.value)} error={shown.of("retiredFrom")} required />
      <FormErrors refusals={shown.general(["retiredFrom"])} />
      <div className="actions">
        <button type="submit" className="danger small" disabled={result.fetching}>
          {t("catalog.confirmRetire")}
        </button>
        <button type="button" className="secondary small" onClick={() => setOpen(false)}>
          {t("common:cancel")}
        </button>
      </div>
    </form>
  );
}

function RowActions({ onEdit, label, retire, history }: { onEdit?: () => void; label: string; retire?: ReactNode; history: string }) {
  const { t } = useTranslation("admin");
  return (
    <div className="actions">
      {onEdit ? (
        <button type="button" className="secondary small" onClick={onEdit} aria-label={t("catalog.editOf", { name: label })}>
          {t("catalog.edit")}
        </button>
      ) : null}
      {retire}
      <Link to={history} aria-label={t("catalog.historyOf", { name: label })}>
        {t("catalog.history")}
      </Link>
    </div>
  );
}

function historyLink(kind: CatalogKind, code: string): string {
  return `/admin/catalog/history?kind=${kind}&code=${encodeURIComponent(code)}`;
}

function IncludeRetired({ value, onChange }: { value: boolean; onChange: (v: boolean) => void }) {
  const { t } = useTranslation("admin");
  return (
    <label className="actions">
      <input type="checkbox" checked={value} onChange={(e) => onChange(e.target.checked)} /> {t("catalog.includeRetired")}
    </label>
  );
}

/** One kind's section: its table (with the retired toggle) and its form. */
function Section({
  title,
  table,
  form,
  includeRetired,
  setIncludeRetired,
}: {
  title: string;
  table: ReactNode;
  form: ReactNode;
  includeRetired: boolean;
  setIncludeRetired: (v: boolean) => void;
}) {
  return (
    <>
      <Card title={title}>
        <IncludeRetired value={includeRetired} onChange={setIncludeRetired} />
        {table}
      </Card>
      <Card>{form}</Card>
    </>
  );
}

function useEditing(): [Values | null, (v: Values | null) => void] {
  const [editing, setEditing] = useState<Values | null>(null);
  return [
    editing,
    (values) => {
      setEditing(values);
      if (values) setTimeout(() => document.getElementById("entry-form")?.querySelector<HTMLElement>("input:not([readonly]), textarea")?.focus(), 0);
    },
  ];
}

// ---- the sections ---------------------------------------------------------------------

function Majors() {
  const { t } = useTranslation("admin");
  const [includeRetired, setIncludeRetired] = useState(false);
  const [editing, setEditing] = useEditing();
  const fields = useMemo<FieldSpec[]>(() => [CODE_FIELD, ...NAME_FIELDS, { name: "credentialCreditCap", label: "catalog.field.credentialCreditCap", kind: "decimal", hint: "catalog.hint.credentialCreditCap" }], []);
  const typenames = ["Major", "MajorConnection"];
  return (
    <Section
      title={t("catalog.tab.majors")}
      includeRetired={includeRetired}
      setIncludeRetired={setIncludeRetired}
      table={
        <PagedTable
          query={AdminCatalogMajors}
          variables={{ first: 20, includeRetired }}
          pick={(d) => d.majorsConnection}
          caption={t("catalog.tab.majors")}
          columns={4}
          head={
            <tr>
              <th scope="col">{t("catalog.field.code")}</th>
              <th scope="col">{t("catalog.field.name")}</th>
              <th scope="col">{t("catalog.field.credentialCreditCap")}</th>
              <th scope="col">{t("catalog.actions")}</th>
            </tr>
          }
          row={(m) => (
            <tr key={m.code}>
              <td>
                {m.code} <RetiredBadge retiredFrom={m.retiredFrom} />
              </td>
              <td>
                <BothNames entry={m} />
              </td>
              <td>{m.credentialCreditCap ? credits(m.credentialCreditCap) : "—"}</td>
              <td>
                <RowActions
                  label={m.name}
                  onEdit={() => setEditing({ code: m.code, ...namesOf(m), credentialCreditCap: m.credentialCreditCap ?? "" })}
                  retire={m.retiredFrom ? null : <RetireControl kind="MAJOR" code={m.code} label={m.name} typenames={typenames} />}
                  history={historyLink("MAJOR", m.code)}
                />
              </td>
            </tr>
          )}
        />
      }
      form={
        <div id="entry-form">
          <EntryForm
            title={editing ? t("catalog.editTitle", { code: editing.code }) : t("catalog.new.majors")}
            fields={fields}
            mutation={AdminUpsertMajor}
            editing={editing}
            onDone={() => setEditing(null)}
            typenames={typenames}
          />
        </div>
      }
    />
  );
}

function Courses() {
  const { t } = useTranslation("admin");
  const [includeRetired, setIncludeRetired] = useState(false);
  const [editing, setEditing] = useEditing();
  const codes = useCodes();
  const fields = useMemo<FieldSpec[]>(
    () => [
      CODE_FIELD,
      { name: "majorCode", label: "catalog.field.majorCode", kind: "text", required: true, suggestions: codes.majors },
      { name: "credits", label: "catalog.field.credits", kind: "decimal", required: true },
      ...NAME_FIELDS,
    ],
    [codes],
  );
  const typenames = ["Course", "CourseConnection"];
  return (
    <Section
      title={t("catalog.tab.courses")}
      includeRetired={includeRetired}
      setIncludeRetired={setIncludeRetired}
      table={
        <PagedTable
          query={AdminCatalogCourses}
          variables={{ first: 20, includeRetired }}
          pick={(d) => d.coursesConnection}
          caption={t("catalog.tab.courses")}
          columns={5}
          head={
            <tr>
              <th scope="col">{t("catalog.field.code")}</th>
              <th scope="col">{t("catalog.field.name")}</th>
              <th scope="col">{t("catalog.field.major")}</th>
              <th scope="col">{t("catalog.field.credits")}</th>
              <th scope="col">{t("catalog.actions")}</th>
            </tr>
          }
          row={(c) => (
            <tr key={c.code}>
              <td>
                {c.code} <RetiredBadge retiredFrom={c.retiredFrom} />
              </td>
              <td>
                <BothNames entry={c} />
              </td>
              <td>
                {c.major.code}
                <br />
                <span className="muted">{c.major.name}</span>
              </td>
              <td>{credits(c.credits)}</td>
              <td>
                <RowActions
                  label={c.name}
                  onEdit={() => setEditing({ code: c.code, majorCode: c.major.code, credits: c.credits, ...namesOf(c) })}
                  retire={c.retiredFrom ? null : <RetireControl kind="COURSE" code={c.code} label={c.name} typenames={typenames} />}
                  history={historyLink("COURSE", c.code)}
                />
              </td>
            </tr>
          )}
        />
      }
      form={
        <div id="entry-form">
          <EntryForm
            title={editing ? t("catalog.editTitle", { code: editing.code }) : t("catalog.new.courses")}
            fields={fields}
            mutation={AdminUpsertCourse}
            editing={editing}
            onDone={() => setEditing(null)}
            typenames={typenames}
          />
        </div>
      }
    />
  );
}

function Credentials() {
  const { t } = useTranslation("admin");
  const [includeRetired, setIncludeRetired] = useState(false);
  const [editing, setEditing] = useEditing();
  const fields = useMemo<FieldSpec[]>(() => [CODE_FIELD, { name: "authority", label: "catalog.field.authority", kind: "text", required: true }, ...NAME_FIELDS], []);
  const typenames = ["CredentialType", "CredentialTypeConnection"];
  return (
    <Section
      title={t("catalog.tab.credentials")}
      includeRetired={includeRetired}
      setIncludeRetired={setIncludeRetired}
      table={
        <PagedTable
          query={AdminCatalogCredentials}
          variables={{ first: 20, includeRetired }}
          pick={(d) => d.credentialTypesConnection}
          caption={t("catalog.tab.credentials")}
          columns={4}
          head={
            <tr>
              <th scope="col">{t("catalog.field.code")}</th>
              <th scope="col">{t("catalog.field.name")}</th>
              <th scope="col">{t("catalog.field.authority")}</th>
              <th scope="col">{t("catalog.actions")}</th>
            </tr>
          }
          row={(c) => (
            <tr key={c.code}>
              <td>
                {c.code} <RetiredBadge retiredFrom={c.retiredFrom} />
              </td>
              <td>
                <BothNames entry={c} />
              </td>
              <td>{c.authority}</td>
              <td>
                <RowActions
                  label={c.name}
                  onEdit={() => setEditing({ code: c.code, authority: c.authority, ...namesOf(c) })}
                  retire={c.retiredFrom ? null : <RetireControl kind="CREDENTIAL_TYPE" code={c.code} label={c.name} typenames={typenames} />}
                  history={historyLink("CREDENTIAL_TYPE", c.code)}
                />
              </td>
            </tr>
          )}
        />
      }
      form={
        <div id="entry-form">
          <EntryForm
            title={editing ? t("catalog.editTitle", { code: editing.code }) : t("catalog.new.credentials")}
            fields={fields}
            mutation={AdminUpsertCredential}
            editing={editing}
            onDone={() => setEditing(null)}
            typenames={typenames}
          />
        </div>
      }
    />
  );
}

function Rules() {
  const { t } = useTranslation("admin");
  const [includeRetired, setIncludeRetired] = useState(false);
  const [editing, setEditing] = useEditing();
  const codes = useCodes();
  const fields = useMemo<FieldSpec[]>(
    () => [
      { name: "courseCode", label: "catalog.field.courseCode", kind: "text", required: true, fixedOnEdit: true, suggestions: codes.courses },
      { name: "credentialCode", label: "catalog.field.credentialCode", kind: "text", hint: "catalog.hint.credentialCode", suggestions: codes.credentials },
      {
        name: "outcomeKind",
        label: "catalog.field.outcomeKind",
        kind: "select",
        options: [{ value: "", label: t("catalog.anyKind") }, ...OUTCOME_KINDS.map((k) => ({ value: k, label: t(`stats.outcomeKind.${k}`) }))],
      },
      { name: "minHours", label: "catalog.field.minHours", kind: "int" },
      { name: "credits", label: "catalog.field.credits", kind: "decimal", required: true },
      { name: "validFrom", label: "catalog.field.validFrom", kind: "date", required: true },
      { name: "validUntil", label: "catalog.field.validUntil", kind: "date" },
      { name: "creditValidityYears", label: "catalog.field.creditValidityYears", kind: "int" },
      { name: "effectiveFrom", label: "catalog.field.effectiveFrom", kind: "date", editOnly: true, hint: "catalog.hint.effectiveFrom" },
      { name: "allowPartial", label: "catalog.field.allowPartial", kind: "checkbox" },
    ],
    [t, codes],
  );
  const typenames = ["ConversionRule", "ConversionRuleConnection"];
  const kindLabel = (kind: string | null | undefined) => (kind ? t(`stats.outcomeKind.${kind}`) : "");
  return (
    <Section
      title={t("catalog.tab.rules")}
      includeRetired={includeRetired}
      setIncludeRetired={setIncludeRetired}
      table={
        <PagedTable
          query={AdminCatalogRules}
          variables={{ first: 20, includeRetired }}
          pick={(d) => d.conversionRulesConnection}
          caption={t("catalog.tab.rules")}
          columns={6}
          head={
            <tr>
              <th scope="col">{t("catalog.field.rule")}</th>
              <th scope="col">{t("catalog.field.course")}</th>
              <th scope="col">{t("catalog.field.appliesTo")}</th>
              <th scope="col">{t("catalog.field.credits")}</th>
              <th scope="col">{t("catalog.field.version")}</th>
              <th scope="col">{t("catalog.actions")}</th>
            </tr>
          }
          row={(r) => {
            const label = `${t("catalog.field.rule")} ${r.id}`;
            return (
              <tr key={r.id}>
                <td>
                  {r.id} <RetiredBadge retiredFrom={r.retiredFrom} />
                  <br />
                  <span className="muted">
                    {t("catalog.validSpan", { from: day(r.validFrom), until: r.validUntil ? day(r.validUntil) : t("catalog.open") })}
                  </span>
                </td>
                <td>
                  {r.course.code}
                  <br />
                  <span className="muted">{r.course.name}</span>
                </td>
                <td>
                  {r.credentialCode ?? (kindLabel(r.outcomeKind) || "—")}
                  {r.credentialCode && r.outcomeKind ? <span className="muted"> · {kindLabel(r.outcomeKind)}</span> : null}
                  {r.minHours ? <span className="muted"> · {t("catalog.minHoursShort", { hours: r.minHours })}</span> : null}
                </td>
                <td>
                  {credits(r.credits)}
                  {r.allowPartial ? <span className="muted"> · {t("catalog.partial")}</span> : null}
                  {r.creditValidityYears ? (
                    <>
                      <br />
                      <span className="muted">{t("catalog.validityYears", { years: r.creditValidityYears })}</span>
                    </>
                  ) : null}
                </td>
                <td>
                  {t("catalog.versionFrom", { version: r.version, day: day(r.effectiveFrom) })}
                  {r.versions.length > 1 ? (
                    <details>
                      <summary>{t("catalog.versions", { count: r.versions.length })}</summary>
                      <ol className="list">
                        {r.versions.map((v) => (
                          <li key={`${v.id}-${v.version}`}>
                            {t("catalog.versionFrom", { version: v.version, day: day(v.effectiveFrom) })}: {credits(v.credits)}
                            {v.minHours ? ` · ${t("catalog.minHoursShort", { hours: v.minHours })}` : ""}
                            {` · ${t("catalog.validSpan", { from: day(v.validFrom), until: v.validUntil ? day(v.validUntil) : t("catalog.open") })}`}
                          </li>
                        ))}
                      </ol>
                    </details>
                  ) : null}
                </td>
                <td>
                  <RowActions
                    label={label}
                    onEdit={() =>
                      setEditing({
                        id: r.id,
                        courseCode: r.course.code,
                        credentialCode: r.credentialCode ?? "",
                        outcomeKind: r.outcomeKind ?? "",
                        minHours: r.minHours === null || r.minHours === undefined ? "" : String(r.minHours),
                        credits: r.credits,
                        validFrom: r.validFrom,
                        validUntil: r.validUntil ?? "",
                        creditValidityYears: r.creditValidityYears === null || r.creditValidityYears === undefined ? "" : String(r.creditValidityYears),
                        effectiveFrom: "",
                        allowPartial: r.allowPartial,
                      })
                    }
                    retire={r.retiredFrom ? null : <RetireControl kind="RULE" code={r.id} label={label} typenames={typenames} />}
                    history={historyLink("RULE", r.id)}
                  />
                </td>
              </tr>
            );
          }}
        />
      }
      form={
        <div id="entry-form">
          <EntryForm
            title={editing ? t("catalog.editRuleTitle", { id: editing.id }) : t("catalog.new.rules")}
            fields={fields}
            mutation={AdminUpsertRule}
            editing={editing}
            extra={editing ? { id: editing.id } : undefined}
            onDone={() => setEditing(null)}
            typenames={typenames}
          />
        </div>
      }
    />
  );
}

function Programs() {
  const { t } = useTranslation("admin");
  const [includeRetired, setIncludeRetired] = useState(false);
  const [editing, setEditing] = useEditing();
  const fields = useMemo<FieldSpec[]>(
    () => [
      CODE_FIELD,
      { name: "requiredCourseCodes", label: "catalog.field.requiredCourseCodes", kind: "list", required: true, hint: "catalog.hint.requiredCourseCodes" },
      { name: "minCredits", label: "catalog.field.minCredits", kind: "decimal" },
      ...NAME_FIELDS,
    ],
    [],
  );
  const typenames = ["CertificateProgram", "CertificateProgramConnection"];
  return (
    <Section
      title={t("catalog.tab.programs")}
      includeRetired={includeRetired}
      setIncludeRetired={setIncludeRetired}
      table={
        <PagedTable
          query={AdminCatalogPrograms}
          variables={{ first: 20, includeRetired }}
          pick={(d) => d.certificateProgramsConnection}
          caption={t("catalog.tab.programs")}
          columns={5}
          head={
            <tr>
              <th scope="col">{t("catalog.field.code")}</th>
              <th scope="col">{t("catalog.field.name")}</th>
              <th scope="col">{t("catalog.field.requiredCourseCodes")}</th>
              <th scope="col">{t("catalog.field.minCredits")}</th>
              <th scope="col">{t("catalog.actions")}</th>
            </tr>
          }
          row={(p) => (
            <tr key={p.code}>
              <td>
                {p.code} <RetiredBadge retiredFrom={p.retiredFrom} />
              </td>
              <td>
                <BothNames entry={p} />
              </td>
              <td>{p.requiredCourses.map((c) => c.code).join(", ")}</td>
              <td>{p.minCredits ? credits(p.minCredits) : "—"}</td>
              <td>
                <RowActions
                  label={p.name}
                  onEdit={() =>
                    setEditing({ code: p.code, requiredCourseCodes: p.requiredCourses.map((c) => c.code).join(", "), minCredits: p.minCredits ?? "", ...namesOf(p) })
                  }
                  retire={p.retiredFrom ? null : <RetireControl kind="PROGRAM" code={p.code} label={p.name} typenames={typenames} />}
                  history={historyLink("PROGRAM", p.code)}
                />
              </td>
            </tr>
          )}
        />
      }
      form={
        <div id="entry-form">
          <EntryForm
            title={editing ? t("catalog.editTitle", { code: editing.code }) : t("catalog.new.programs")}
            fields={fields}
            mutation={AdminUpsertProgram}
            editing={editing}
            onDone={() => setEditing(null)}
            typenames={typenames}
          />
        </div>
      }
    />
  );
}

function Caps() {
  const { t } = useTranslation("admin");
  const [result] = useQuery({ query: AdminCatalogCaps });
  const fields = useMemo<FieldSpec[]>(() => [{ name: "annualCredits", label: "catalog.field.annualCredits", kind: "decimal", required: true, hint: "catalog.hint.annualCredits" }], []);
  const caps = result.data?.conversionCaps;
  const editing = useMemo<Values | null>(() => (caps ? { annualCredits: caps.annualCredits } : null), [caps]);
  return (
    <>
      <Card title={t("catalog.tab.caps")}>
        {caps ? (
          <>
            <p className="figure-label">{t("catalog.field.annualCredits")}</p>
            <p className="figure">{credits(caps.annualCredits)}</p>
            <Link to={historyLink("CAPS", "CAPS")}>{t("catalog.history")}</Link>
          </>
        ) : (
          <Loading />
        )}
      </Card>
      <Card>
        {caps ? (
          <EntryForm
            title={t("catalog.capsTitle")}
            fields={fields}
            mutation={AdminSetCaps}
            editing={editing}
            onDone={() => undefined}
            cancellable={false}
            typenames={["ConversionCaps"]}
          />
        ) : null}
      </Card>
    </>
  );
}

// ---- the page -----------------------------------------------------------------------

const SECTIONS: Record<Tab, () => ReactNode> = {
  majors: () => <Majors />,
  courses: () => <Courses />,
  credentials: () => <Credentials />,
  rules: () => <Rules />,
  programs: () => <Programs />,
  caps: () => <Caps />,
};

export default function Catalog() {
  const { t } = useTranslation("admin");
  const [params] = useSearchParams();
  const asked = params.get("tab");
  const tab: Tab = (TABS as readonly string[]).includes(asked ?? "") ? (asked as Tab) : "majors";
  return (
    <Page title={t("nav.catalog")}>
      <nav aria-label={t("catalog.sections")} className="card">
        <ul className="actions" style={{ listStyle: "none", margin: 0, padding: 0 }}>
          {TABS.map((name) => (
            <li key={name}>
              <Link to={`?tab=${name}`} className={`button small${name === tab ? "" : " secondary"}`} aria-current={name === tab ? "page" : undefined}>
                {t(`catalog.tab.${name}`)}
              </Link>
            </li>
          ))}
        </ul>
      </nav>
      {SECTIONS[tab]()}
    </Page>
  );
}
