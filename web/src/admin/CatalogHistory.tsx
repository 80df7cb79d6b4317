// The catalog's change history, newest first: when, who, which entry, and what changed
// (each field from its value before to its value after). Narrowed by kind and code (the
// catalog's rows link here with both).
import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useSearchParams } from "react-router";
import { graphql } from "../gql";
import type { CatalogKind } from "../gql/graphql";
import { SelectField, TextField } from "../ui/forms";
import { instant } from "../ui/format";
import { Card, Page } from "../ui/Page";
import { visuallyHidden } from "./hidden";
import { PagedTable } from "./paged";

const AdminCatalogHistory = graphql(`
  query AdminCatalogHistory($kind: CatalogKind, $code: String, $first: Int, $after: String) {
    catalogHistory(kind: $kind, code: $code, first: $first, after: $after) {
      totalCount
      pageInfo {
        hasNextPage
        endCursor
      }
      nodes {
        id
        kind
        code
        action
        changedAt
        changedBy {
          id
          displayName
          email
        }
        before
        after
      }
    }
  }
`);

const KINDS: CatalogKind[] = ["MAJOR", "COURSE", "CREDENTIAL_TYPE", "RULE", "PROGRAM", "CAPS"];

function shown(value: unknown): string {
  if (value === null || value === undefined || value === "") return "—";
  if (typeof value === "string") return value;
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return value.map(shown).join(", ");
  return JSON.stringify(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  if (value && typeof value === "object" && !Array.isArray(value)) return value as Record<string, unknown>;
  if (value === null || value === undefined) return {};
  return { value };
}

/** The fields that differ between before and after (all of after for a new entry). */
export function changesOf(before: unknown, after: unknown): { field: string; before: string; after: string }[] {
  const b = asRecord(before);
  const a = asRecord(after);
  const fields = Array.from(new Set([...Object.keys(b), ...Object.keys(a)]));
  return fields
    .filter((field) => JSON.stringify(b[field] ?? null) !== JSON.stringify(a[field] ?? null))
    .map((field) => ({ field, before: shown(b[field]), after: shown(a[field]) }));
}

function Changes({ before, after, created }: { before: unknown; after: unknown; created: boolean }) {
  const { t } = useTranslation("admin");
  const list = changesOf(before, after);
  if (list.length === 0) return <span className="muted">{t("history.noChange")}</span>;
  return (
    <ul className="history-changes" style={{ margin: 0, paddingLeft: "1rem" }}>
      {list.map((change) => (
        <li key={change.field}>
          <strong>{change.field}</strong>:{" "}
          {created ? (
            change.after
          ) : (
            <>
              <span style={visuallyHidden}>{t("history.was")} </span>
              <del>{change.before}</del> → <span style={visuallyHidden}>{t("history.now")} </span>
              <ins>{change.after}</ins>
            </>
          )}
        </li>
      ))}
    </ul>
  );
}

export default function CatalogHistory() {
  const { t } = useTranslation("admin");
  const [params, setParams] = useSearchParams();
  const askedKind = params.get("kind");
  const kind = (KINDS as string[]).includes(askedKind ?? "") ? (askedKind as CatalogKind) : null;
  const code = params.get("code") || null;
  const [typedKind, setTypedKind] = useState<string>(kind ?? "");
  const [typedCode, setTypedCode] = useState<string>(code ?? "");

  const submit = (event: FormEvent) => {
    event.preventDefault();
    const next = new URLSearchParams();
    if (typedKind) next.set("kind", typedKind);
    if (typedCode.trim()) next.set("code", typedCode.trim());
    setParams(next);
  };

  return (
    <Page title={t("nav.history")}>
      <Card>
        <form className="grid" onSubmit={submit} role="search" aria-label={t("history.filter")}>
          <SelectField
            label={t("history.kind")}
            value={typedKind}
            onChange={(e) => setTypedKind(e.target.value)}
            options={[{ value: "", label: t("history.anyKind") }, ...KINDS.map((k) => ({ value: k, label: t(`history.kinds.${k}`) }))]}
          />
          <TextField label={t("history.code")} value={typedCode} onChange={(e) => setTypedCode(e.target.value)} hint={t("history.codeHint")} />
          <div className="actions">
            <button type="submit">{t("history.show")}</button>
          </div>
        </form>
      </Card>
      <PagedTable
        query={AdminCatalogHistory}
        variables={{ kind, code, first: 20 }}
        pick={(d) => d.catalogHistory}
        caption={t("nav.history")}
        columns={4}
        empty={t("history.none")}
        head={
          <tr>
            <th scope="col">{t("history.when")}</th>
            <th scope="col">{t("history.entry")}</th>
            <th scope="col">{t("history.action")}</th>
            <th scope="col">{t("history.changes")}</th>
          </tr>
        }
        row={(change) => (
          <tr key={change.id}>
            <td>
              {instant(change.changedAt)}
              <br />
              <span className="muted">{change.changedBy ? change.changedBy.displayName : t("history.seed")}</span>
            </td>
            <td>
              {t(`history.kinds.${change.kind}`)}
              <br />
              <code>{change.code}</code>
            </td>
            <td>
              <span className={`badge ${change.action === "RETIRED" ? "badge-danger" : change.action === "CREATED" ? "badge-ok" : "badge-info"}`}>
                {t(`history.actions.${change.action}`)}
              </span>
            </td>
            <td>
              <Changes before={change.before} after={change.after} created={change.action === "CREATED" || change.before === null} />
            </td>
          </tr>
        )}
      />
    </Page>
  );
}
