// "Add results": a short form (kind, title, issuer, credential from the catalog, date,
// hours, evidence files uploaded at once with their progress), checked here first and
// then by the API, whose refusals sit next to the field they name.
import { useEffect, useRef, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { useNavigate } from "react-router";
import { useMutation } from "urql";
import { refusals } from "../api/refusals";
import { graphql } from "../gql";
import type { OutcomeKind } from "../gql/graphql";
import { today } from "../ui/format";
import { FormErrors, SelectField, TextField } from "../ui/forms";
import { Page } from "../ui/Page";
import { CredentialSearch, type Credential } from "./CredentialSearch";
import { EvidenceFiles, useEvidence } from "./EvidenceFiles";
import { HAS_HOURS, KINDS, NEEDS_EVIDENCE } from "./status";
import "./learner.css";

const AddResultMutation = graphql(`
  mutation LearnerAddResult($input: AddResultInput!) {
    addResult(input: $input) {
      id
      status
      title
    }
  }
`);

const FIELDS = ["kind", "title", "issuer", "credentialCode", "achievedOn", "hours", "evidenceIds"] as const;
type Checks = Partial<Record<(typeof FIELDS)[number], string>>;

export default function AddResult() {
  const { t } = useTranslation("learner");
  const navigate = useNavigate();
  const evidence = useEvidence();
  const [kind, setKind] = useState<OutcomeKind | "">("");
  const [title, setTitle] = useState("");
  const [issuer, setIssuer] = useState("");
  const [credential, setCredential] = useState<Credential | null>(null);
  const [achievedOn, setAchievedOn] = useState("");
  const [hours, setHours] = useState("");
  const [checks, setChecks] = useState<Checks>({});
  const [sent, add] = useMutation(AddResultMutation);
  const [showApi, setShowApi] = useState(false);
  const shown = refusals(showApi ? sent.error : null);
  const latest = today();
  const form = useRef<HTMLFormElement>(null);
  const [attempt, setAttempt] = useState(0);

  // after a refused send, the first field to mend gets the focus
  useEffect(() => {
    if (attempt === 0) return;
    form.current?.querySelector<HTMLElement>("[aria-invalid='true']")?.focus();
  }, [attempt, sent.error]);

  function check(): Checks {
    const found: Checks = {};
    if (!kind) found.kind = t("add.check.kind");
    if (!title.trim()) found.title = t("add.check.title");
    if (!issuer.trim()) found.issuer = t("add.check.issuer");
    if (!achievedOn) found.achievedOn = t("add.check.achievedOn");
    else if (achievedOn > latest) found.achievedOn = t("add.check.future");
    if (hours.trim() && !/^[1-9]\d*$/.test(hours.trim())) found.hours = t("add.check.hours");
    if (evidence.failed) found.evidenceIds = t("add.check.failed");
    else if (evidence.busy) found.evidenceIds = t("add.check.uploading");
    else if (kind && NEEDS_EVIDENCE.has(kind) && evidence.ids.length === 0) found.evidenceIds = t("add.check.evidence");
    return found;
  }

  async function submit(event: FormEvent) {
    event.preventDefault();
    const found = check();
    setChecks(found);
    setShowApi(false);
    if (Object.keys(found).length > 0) {
      setAttempt((n) => n + 1);
      return;
    }
    const result = await add({
      input: {
        kind: kind as OutcomeKind,
        title: title.trim(),
        issuer: issuer.trim(),
        credentialCode: credential?.code ?? null,
        achievedOn,
        hours: hours.trim() && kind && HAS_HOURS.has(kind) ? Number(hours.trim()) : null,
        evidenceIds: evidence.ids,
      },
    });
    setShowApi(true);
    setAttempt((n) => n + 1);
    const id = result.data?.addResult.id;
    if (id) navigate(`/learner/results/${id}`, { state: { added: true } });
  }

  const fileCount = evidence.items.length;
  useEffect(() => {
    setChecks((all) => {
      if (!("evidenceIds" in all)) return all;
      const { evidenceIds: _gone, ...rest } = all;
      return rest;
    });
  }, [fileCount]);

  const message = (field: (typeof FIELDS)[number]) => checks[field] ?? shown.of(field);
  // a field's own check goes once the learner changes it
  const edited = (field: (typeof FIELDS)[number]) =>
    setChecks((all) => {
      if (!(field in all)) return all;
      const { [field]: _gone, ...rest } = all;
      return rest;
    });

  return (
    <Page title={t("add.title")}>
      <p className="lead">{t("add.intro")}</p>
      <form className="form narrow add-result" onSubmit={submit} noValidate ref={form}>
        <SelectField
          label={t("add.kind")}
          value={kind}
          required
          onChange={(event) => {
            setKind(event.target.value as OutcomeKind | "");
            edited("kind");
          }}
          options={[{ value: "", label: t("add.kindChoose") }, ...KINDS.map((k) => ({ value: k, label: t(`kind.${k}`) }))]}
          error={message("kind")}
        />
        <TextField
          label={t("add.resultTitle")}
          value={title}
          required
          maxLength={200}
          hint={t("add.resultTitleHint")}
          onChange={(event) => {
            setTitle(event.target.value);
            edited("title");
          }}
          error={message("title")}
        />
        <TextField
          label={t("add.issuer")}
          value={issuer}
          required
          maxLength={200}
          hint={t("add.issuerHint")}
          onChange={(event) => {
            setIssuer(event.target.value);
            edited("issuer");
          }}
          error={message("issuer")}
        />
        <CredentialSearch value={credential} onChange={setCredential} error={message("credentialCode")} />
        <TextField
          label={t("add.achievedOn")}
          type="date"
          value={achievedOn}
          required
          max={latest}
          min="1950-01-01"
          onChange={(event) => {
            setAchievedOn(event.target.value);
            edited("achievedOn");
          }}
          error={message("achievedOn")}
        />
        {kind && HAS_HOURS.has(kind) ? (
          <TextField
            label={t("add.hours")}
            type="number"
            inputMode="numeric"
            min={1}
            step={1}
            value={hours}
            hint={t("add.hoursHint")}
            onChange={(event) => {
            setHours(event.target.value);
            edited("hours");
          }}
            error={message("hours")}
          />
        ) : null}
        <EvidenceFiles
          evidence={evidence}
          label={kind && !NEEDS_EVIDENCE.has(kind) ? t("upload.labelOptional") : t("upload.label")}
          error={message("evidenceIds")}
        />
        <FormErrors refusals={shown.general([...FIELDS])} />
        <div className="actions">
          <button type="submit" disabled={sent.fetching}>
            {sent.fetching ? t("add.sending") : t("add.submit")}
          </button>
        </div>
      </form>
    </Page>
  );
}
