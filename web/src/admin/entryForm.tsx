// The catalog's forms, described rather than written out six times: each field a spec
// (its argument's name, so the API's refusal lands next to it), values kept as the
// strings the inputs hold and turned into the mutation's variables on submit (decimals
// stay strings; empty optional fields are sent as null).
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useMutation, type TypedDocumentNode } from "urql";
import { refusals } from "../api/refusals";
import { FormErrors, SelectField, TextArea, TextField } from "../ui/forms";
import { today } from "../ui/format";
import { useToast } from "../ui/toasts";

export type FieldKind = "text" | "textarea" | "decimal" | "int" | "date" | "select" | "checkbox" | "list";

export interface FieldSpec {
  /** the mutation's argument */
  name: string;
  /** a key of the admin namespace */
  label: string;
  kind: FieldKind;
  required?: boolean;
  hint?: string;
  options?: { value: string; label: string }[];
  /** only when editing (a rule's effectiveFrom), or read-only then (a code) */
  editOnly?: boolean;
  fixedOnEdit?: boolean;
  lang?: string;
  /** codes to offer as the user types (a <datalist>) */
  suggestions?: { value: string; label: string }[];
}

export type Values = Record<string, string | boolean>;

export function emptyValues(fields: FieldSpec[]): Values {
  return Object.fromEntries(fields.map((f) => [f.name, f.kind === "checkbox" ? false : ""]));
}

function variablesOf(fields: FieldSpec[], values: Values, editing: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of fields) {
    if (field.editOnly && !editing) continue;
    const raw = values[field.name];
    if (field.kind === "checkbox") {
      out[field.name] = Boolean(raw);
      continue;
    }
    const text = typeof raw === "string" ? raw.trim() : "";
    if (field.kind === "list") {
      out[field.name] = text
        .split(/[,，\s]+/)
        .map((s) => s.trim())
        .filter(Boolean);
      continue;
    }
    if (text === "") {
      out[field.name] = field.required ? "" : null;
      continue;
    }
    out[field.name] = field.kind === "int" ? Number.parseInt(text, 10) : text;
  }
  return out;
}

/** What the form checks before asking the API (the API checks the rest). */
function checksOf(fields: FieldSpec[], values: Values, editing: boolean, t: (key: string) => string): Record<string, string> {
  const found: Record<string, string> = {};
  for (const field of fields) {
    if (field.editOnly && !editing) continue;
    const raw = values[field.name];
    const text = typeof raw === "string" ? raw.trim() : "";
    if (field.required && field.kind !== "checkbox" && text === "") found[field.name] = t("catalog.check.required");
    else if (text !== "" && field.kind === "decimal" && !/^\d+(\.\d+)?$/.test(text)) found[field.name] = t("catalog.check.decimal");
    else if (text !== "" && field.kind === "int" && !/^\d+$/.test(text)) found[field.name] = t("catalog.check.int");
    else if (text !== "" && field.kind === "date" && !/^\d{4}-\d{2}-\d{2}$/.test(text)) found[field.name] = t("catalog.check.date");
  }
  return found;
}

interface EntryFormProps {
  title: string;
  fields: FieldSpec[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  mutation: TypedDocumentNode<any, any>;
  /** the values of the entry being edited, or null for a new one */
  editing: Values | null;
  onDone: () => void;
  /** typenames whose lists to ask again after saving */
  typenames: string[];
  /** fixed variables (a rule's id when editing) */
  extra?: Record<string, unknown>;
  submitLabel?: string;
  /** whether an edit may be abandoned (a Cancel button) */
  cancellable?: boolean;
}

export function EntryForm({ title, fields, mutation, editing, onDone, typenames, extra, submitLabel, cancellable = true }: EntryFormProps) {
  const { t } = useTranslation("admin");
  const toast = useToast();
  const [values, setValues] = useState<Values>(() => editing ?? emptyValues(fields));
  const [checks, setChecks] = useState<Record<string, string>>({});
  const [result, save] = useMutation(mutation);
  const shown = refusals(result.error);
  useEffect(() => {
    setValues(editing ?? emptyValues(fields));
    setChecks({});
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [editing]);

  const isEditing = editing !== null;
  const visible = fields.filter((f) => !f.editOnly || isEditing);
  const set = (name: string, value: string | boolean) => setValues((all) => ({ ...all, [name]: value }));

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const found = checksOf(fields, values, isEditing, t);
    setChecks(found);
    if (Object.keys(found).length > 0) return;
    const answer = await save(
      { ...variablesOf(fields, values, isEditing), ...(extra ?? {}) },
      { additionalTypenames: [...typenames, "CatalogChangeConnection", "CatalogChange"] },
    );
    if (answer.data && !answer.error) {
      toast(t("catalog.saved"));
      if (!isEditing) setValues(emptyValues(fields));
      onDone();
    }
  };

  return (
    <form className="form" onSubmit={submit} noValidate aria-label={title}>
      <h2>{title}</h2>
      <div className="grid">
        {visible.map((field) => {
          const error = checks[field.name] ?? shown.of(field.name);
          const label = t(field.label) + (field.required ? ` (${t("common:required")})` : "");
          const value = values[field.name];
          if (field.kind === "checkbox") {
            return (
              <div className="field" key={field.name}>
                <label>
                  <input type="checkbox" checked={Boolean(value)} onChange={(e) => set(field.name, e.target.checked)} /> {t(field.label)}
                </label>
                {error ? (
                  <p className="field-error" role="alert">
                    {error}
                  </p>
                ) : null}
              </div>
            );
          }
          if (field.kind === "select") {
            return (
              <SelectField
                key={field.name}
                label={label}
                value={String(value ?? "")}
                onChange={(e) => set(field.name, e.target.value)}
                options={field.options ?? []}
                error={error}
                hint={field.hint ? t(field.hint) : undefined}
              />
            );
          }
          if (field.kind === "textarea") {
            return (
              <TextArea
                key={field.name}
                label={label}
                lang={field.lang}
                value={String(value ?? "")}
                onChange={(e) => set(field.name, e.target.value)}
                error={error}
                hint={field.hint ? t(field.hint) : undefined}
              />
            );
          }
          const listId = field.suggestions?.length ? `suggest-${field.name}` : undefined;
          return (
            <div key={field.name}>
              <TextField
                list={listId}
                label={label}
                lang={field.lang}
                type={field.kind === "date" ? "date" : "text"}
                inputMode={field.kind === "decimal" ? "decimal" : field.kind === "int" ? "numeric" : undefined}
                placeholder={field.kind === "date" ? today() : undefined}
                value={String(value ?? "")}
                readOnly={isEditing && field.fixedOnEdit}
                onChange={(e) => set(field.name, e.target.value)}
                error={error}
                hint={field.hint ? t(field.hint) : undefined}
              />
              {listId ? (
                <datalist id={listId}>
                  {field.suggestions?.map((option) => (
                    <option key={option.value} value={option.value}>
                      {option.label}
                    </option>
                  ))}
                </datalist>
              ) : null}
            </div>
          );
        })}
      </div>
      <FormErrors refusals={shown.general(visible.map((f) => f.name))} />
      <div className="actions">
        <button type="submit" disabled={result.fetching}>
          {submitLabel ?? t("common:save")}
        </button>
        {isEditing && cancellable ? (
          <button type="button" className="secondary" onClick={onDone}>
            {t("common:cancel")}
          </button>
        ) : null}
      </div>
    </form>
  );
}
