// The credential a result claims, found by searching the catalog in Chinese or English
// (`searchCatalog`, asked ~250 ms after the last keystroke). Only credential types can be
// picked; the other matches (majors, courses) are listed so the learner sees why.
import { useEffect, useId, useState } from "react";
import { useTranslation } from "react-i18next";
import { useQuery } from "urql";
import { graphql } from "../gql";

const SearchQuery = graphql(`
  query LearnerCredentialSearch($text: String!) {
    searchCatalog(text: $text, first: 12) {
      kind
      code
      name
      credentialType {
        code
        name
        authority
      }
    }
  }
`);

export interface Credential {
  code: string;
  name: string;
}

function useDebounced<T>(value: T, ms: number): T {
  const [settled, setSettled] = useState(value);
  useEffect(() => {
    if (Object.is(value, settled)) return;
    const timer = setTimeout(() => setSettled(value), ms);
    return () => clearTimeout(timer);
  }, [value, settled, ms]);
  return settled;
}

export function CredentialSearch({
  value,
  onChange,
  error,
}: {
  value: Credential | null;
  onChange: (credential: Credential | null) => void;
  error?: string;
}) {
  const { t } = useTranslation("learner");
  const id = useId();
  const [text, setText] = useState("");
  const asked = useDebounced(text.trim(), 250);
  const [result] = useQuery({ query: SearchQuery, variables: { text: asked }, pause: asked.length === 0 });
  const matches = asked.length > 0 ? (result.data?.searchCatalog ?? []) : [];
  const credentials = matches.filter((m) => m.kind === "CREDENTIAL_TYPE");
  const others = matches.filter((m) => m.kind !== "CREDENTIAL_TYPE");
  const describedBy = [`${id}-hint`, error ? `${id}-error` : null].filter(Boolean).join(" ");

  return (
    <div className={`field${error ? " field-invalid" : ""}`}>
      <label htmlFor={`${id}-search`}>{t("add.credential")}</label>
      {value ? (
        <p className="chosen" data-testid="credential-chosen">
          <span>
            {t("add.credentialChosen")} <strong>{value.name}</strong> <span className="muted">({value.code})</span>
          </span>{" "}
          <button type="button" className="link" onClick={() => onChange(null)}>
            {t("add.credentialClear")}
          </button>
        </p>
      ) : null}
      <input
        id={`${id}-search`}
        type="search"
        autoComplete="off"
        value={text}
        placeholder={t("add.credentialPlaceholder")}
        aria-describedby={describedBy}
        aria-invalid={error ? true : undefined}
        onChange={(event) => setText(event.target.value)}
      />
      <p className="hint" id={`${id}-hint`}>
        {t("add.credentialHint")}
      </p>
      {asked.length > 0 ? (
        <div className="search-results" aria-live="polite">
          {result.fetching ? <p className="muted">{t("common:loading")}</p> : null}
          {!result.fetching && credentials.length === 0 ? <p className="muted">{t("add.credentialNone")}</p> : null}
          {credentials.length > 0 ? (
            <fieldset className="choices">
              <legend>{t("add.credentialMatches")}</legend>
              {credentials.map((match) => (
                <label key={match.code} className="choice">
                  <input
                    type="radio"
                    name={`${id}-credential`}
                    value={match.code}
                    checked={value?.code === match.code}
                    onChange={() => onChange({ code: match.code, name: match.name })}
                  />
                  <span>
                    <span className="choice-name">{match.name}</span> <span className="muted">· {match.code}</span>
                    {match.credentialType?.authority ? (
                      <span className="muted choice-sub">{match.credentialType.authority}</span>
                    ) : null}
                  </span>
                </label>
              ))}
            </fieldset>
          ) : null}
          {others.length > 0 ? (
            <p className="hint">
              {t("add.credentialOthers", { count: others.length })}{" "}
              {others
                .slice(0, 4)
                .map((m) => `${m.name} (${t(`catalogKind.${m.kind}`)})`)
                .join("; ")}
            </p>
          ) : null}
        </div>
      ) : null}
      {error ? (
        <p className="field-error" id={`${id}-error`} role="alert">
          {error}
        </p>
      ) : null}
    </div>
  );
}
