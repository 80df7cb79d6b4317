// /verify, public (no sign-in): anyone pastes a credential's JSON or chooses or drops its
// .json file, and the API's verifyCredential answers: a big "Verified" or "Not verified",
// who issued it (name and DID), whether this bank did, its status, when it is valid, its
// types and the reasons. JSON that does not parse is caught here, before anything is sent.
// The verdict sits in a live region; it is asked again when the language changes, so its
// reasons come in the language read. (A chunk of its own, loaded on first visit.)
import { useCallback, useEffect, useId, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useClient } from "urql";
import { refusalsOf } from "../api/refusals";
import { graphql } from "../gql";
import type { CredentialVerificationQuery } from "../gql/graphql";
import { useFileDrop } from "../ui/drop";
import { FormErrors } from "../ui/forms";
import { Page } from "../ui/Page";
import { instant } from "../ui/format";
import "./credentials.css";

const CredentialVerificationQuery = graphql(`
  query CredentialVerification($credential: JSON!) {
    verifyCredential(credential: $credential) {
      verified
      proofValid
      issuer
      issuerName
      issuedByThisBank
      status
      validFrom
      validUntil
      types
      errors
    }
  }
`);

type Verification = CredentialVerificationQuery["verifyCredential"];

/** A file's text (FileReader: what every browser, and the tests' DOM, has). */
function readText(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result));
    reader.onerror = () => reject(reader.error ?? new Error("unreadable"));
    reader.readAsText(file);
  });
}

/** The most a file may hold: the API takes at most 1 MB of JSON (a transcript of hundreds of achievements is well under). */
const MAX_MB = 1;

/** The credential the text holds, or why it is not one (a message for the field). */
export function parseCredential(text: string, t: (key: string, values?: Record<string, unknown>) => string): { credential: object } | { problem: string } {
  if (text.trim() === "") return { problem: t("verify.empty") };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    return { problem: t("verify.notJson", { reason: (error as Error).message }) };
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) return { problem: t("verify.notObject") };
  return { credential: value };
}

/** The verdict: its words in a live region (read out when they come), the facts after. */
function Verdict({ verification, checking }: { verification: Verification | null; checking: boolean }) {
  const { t } = useTranslation("credentials");
  const ok = verification?.verified ?? false;
  return (
    <div className={verification ? `card verdict ${ok ? "verdict-ok" : "verdict-bad"}` : "verdict-none"} data-testid="verdict">
      <div role="status" aria-live="polite">
        {verification ? (
          <>
            <h2 className="verdict-title">
              <span aria-hidden="true" className="verdict-mark">
                {ok ? "✓" : "✗"}
              </span>{" "}
              {ok ? t("verify.verified") : t("verify.notVerified")}
            </h2>
            <p className="verdict-lead">{ok ? t("verify.verifiedLead") : t("verify.notVerifiedLead")}</p>
          </>
        ) : checking ? (
          <p className="muted">{t("verify.checking")}</p>
        ) : null}
      </div>
      {verification ? (
        <>
          <dl className="facts verdict-facts">
            <dt>{t("verify.issuer")}</dt>
            <dd data-testid="verdict-issuer">{verification.issuerName || t("verify.unknownIssuer")}</dd>
            <dt>{t("verify.issuerDid")}</dt>
            <dd className="verdict-did" data-testid="verdict-did">
              {verification.issuer || t("verify.unknownIssuer")}
            </dd>
            <dt>{t("verify.thisBank")}</dt>
            <dd data-testid="verdict-bank">{verification.issuedByThisBank ? t("verify.yes") : t("verify.no")}</dd>
            <dt>{t("verify.proof")}</dt>
            <dd data-testid="verdict-proof">{verification.proofValid ? t("verify.proofValid") : t("verify.proofInvalid")}</dd>
            <dt>{t("verify.status")}</dt>
            <dd data-testid="verdict-status">
              <span className={`badge ${STATUS_BADGE[verification.status] ?? "badge-info"}`}>{t(`verify.statusOf.${verification.status}`)}</span>
            </dd>
            <dt>{t("verify.validFrom")}</dt>
            <dd>{verification.validFrom ? instant(verification.validFrom) : "—"}</dd>
            <dt>{t("verify.validUntil")}</dt>
            <dd>{verification.validUntil ? instant(verification.validUntil) : t("verify.noEnd")}</dd>
            <dt>{t("verify.types")}</dt>
            <dd className="verdict-types">{verification.types.join(", ") || "—"}</dd>
          </dl>
          {verification.errors.length > 0 ? (
            <>
              <h3>{t("verify.reasons")}</h3>
              <ul className="verdict-reasons" data-testid="verdict-reasons">
                {verification.errors.map((error, index) => (
                  <li key={index}>{error}</li>
                ))}
              </ul>
            </>
          ) : null}
        </>
      ) : null}
    </div>
  );
}

const STATUS_BADGE: Record<string, string> = { ACTIVE: "badge-ok", REVOKED: "badge-danger", NONE: "badge-info", UNCHECKED: "badge-warn" };

export default function Verify() {
  const { t, i18n } = useTranslation("credentials");
  const client = useClient();
  const id = useId();
  const [text, setText] = useState("");
  const [fileName, setFileName] = useState<string | null>(null);
  const [problem, setProblem] = useState<string | null>(null);
  const { over, zone } = useFileDrop((files) => void load(files[0]));
  const [checking, setChecking] = useState(false);
  const [verification, setVerification] = useState<Verification | null>(null);
  const [failure, setFailure] = useState<Error | null>(null);
  const asked = useRef<object | null>(null);
  const latest = useRef(0);

  const check = useCallback(
    async (credential: object) => {
      const ticket = ++latest.current;
      asked.current = credential;
      setChecking(true);
      setFailure(null);
      const result = await client.query(CredentialVerificationQuery, { credential }, { requestPolicy: "network-only" }).toPromise();
      if (ticket !== latest.current) return; // a later check (or a cleared form) won
      setChecking(false);
      if (result.data?.verifyCredential) {
        setVerification(result.data.verifyCredential);
      } else {
        setVerification(null);
        setFailure(result.error ?? new Error(t("common:error")));
      }
    },
    [client, t],
  );

  // the reasons come in the language asked: ask again in the new one
  useEffect(() => {
    const changed = () => {
      if (asked.current) void check(asked.current);
    };
    i18n.on("languageChanged", changed);
    return () => i18n.off("languageChanged", changed);
  }, [i18n, check]);

  function submit(event: FormEvent) {
    event.preventDefault();
    const parsed = parseCredential(text, t);
    if ("problem" in parsed) {
      setProblem(parsed.problem);
      setVerification(null);
      setFailure(null);
      return;
    }
    setProblem(null);
    void check(parsed.credential);
  }

  async function load(file: File | undefined) {
    if (!file) return;
    setProblem(null);
    if (file.size > MAX_MB * 1024 * 1024) {
      setProblem(t("verify.tooLarge", { size: (file.size / 1024 / 1024).toFixed(1), max: MAX_MB }));
      return;
    }
    try {
      setText(await readText(file));
      setFileName(file.name);
    } catch {
      setProblem(t("verify.unreadable"));
    }
  }

  function clear() {
    latest.current++;
    asked.current = null;
    setText("");
    setFileName(null);
    setProblem(null);
    setVerification(null);
    setFailure(null);
    setChecking(false);
  }

  const textId = `${id}-text`;
  const hintId = `${id}-hint`;
  const problemId = `${id}-problem`;
  return (
    <Page title={t("verify.title")}>
      <p className="lead">{t("verify.lead")}</p>
      <form className="form verify-form" onSubmit={submit} noValidate>
        <div
          className={`field verify-drop${over ? " over" : ""}${problem ? " field-invalid" : ""}`}
          {...zone}
        >
          <label htmlFor={textId}>{t("verify.paste")}</label>
          <textarea
            id={textId}
            className="verify-text"
            rows={10}
            spellCheck={false}
            autoCapitalize="off"
            autoComplete="off"
            value={text}
            onChange={(event) => {
              setText(event.target.value);
              setFileName(null);
            }}
            aria-describedby={[hintId, problem ? problemId : null].filter(Boolean).join(" ")}
            aria-invalid={problem ? true : undefined}
          />
          <p className="hint" id={hintId}>
            {t("verify.pasteHint")}
          </p>
          {problem ? (
            <p className="field-error" id={problemId} role="alert">
              {problem}
            </p>
          ) : null}
          <div className="verify-file">
            <label htmlFor={`${id}-file`} className="button secondary verify-choose">
              {t("verify.choose")}
            </label>
            {/* the real control: out of sight but focusable, its label the visible button */}
            <input
              id={`${id}-file`}
              className="verify-file-input"
              type="file"
              accept=".json,application/json,application/ld+json"
              onChange={(event) => {
                void load(event.target.files?.[0]);
                event.target.value = "";
              }}
            />
            <span className="muted">{fileName ? t("verify.loaded", { name: fileName }) : t("verify.drop")}</span>
          </div>
        </div>
        <p className="actions">
          <button type="submit" disabled={checking}>
            {checking ? t("verify.checking") : t("verify.submit")}
          </button>
          <button type="button" className="secondary" onClick={clear}>
            {t("verify.clear")}
          </button>
        </p>
      </form>
      <section aria-label={t("verify.result")} className="verify-result">
        {failure ? <FormErrors refusals={refusalsOf(failure)} /> : null}
        <Verdict verification={verification} checking={checking} />
      </section>
    </Page>
  );
}
