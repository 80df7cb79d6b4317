// The account's message preferences (…/notifications/preferences): the e-mails' language,
// whether messages also go by e-mail and to which address (pre-filled from the
// account's own e-mail the first time), and which kinds of the role's messages do.
// Refusals sit next to the field they name.
import { useEffect, useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link } from "react-router";
import { useMutation, useQuery } from "urql";
import { refusals } from "../api/refusals";
import { useSession, type Role } from "../api/session";
import { graphql } from "../gql";
import type { NotificationKind } from "../gql/graphql";
import { FormErrors, SelectField, TextField } from "../ui/forms";
import { Loading, Page } from "../ui/Page";
import { useToast } from "../ui/toasts";
import { inboxPath } from "./links";
import "./notifications.css";

const NotificationsPreferences = graphql(`
  query NotificationsPreferences {
    me {
      id
      email
      notificationPreferences {
        language
        email
        emailKinds
      }
    }
    notificationKinds
  }
`);

const NotificationsSetPreferences = graphql(`
  mutation NotificationsSetPreferences($language: String!, $email: String, $emailKinds: [NotificationKind!]) {
    setNotificationPreferences(language: $language, email: $email, emailKinds: $emailKinds) {
      language
      email
      emailKinds
    }
  }
`);

/** The kinds of message each role receives (the others are never sent to it). */
export const KINDS_OF: Record<Role, readonly string[]> = {
  LEARNER: [
    "CERTIFIED",
    "REJECTED",
    "INFO_REQUESTED",
    "CREDITS_CONVERTED",
    "CREDITS_REVOKED",
    "CERTIFICATE_AWARDED",
    "CREDITS_REDEEMED",
    "REDEMPTION_REVERSED",
    "CREDITS_EXPIRED",
    "CREDITS_EXPIRING",
  ],
  INSTITUTION: ["CONSENT_GRANTED", "CONSENT_REVOKED", "WEBHOOK_DISABLED"],
  REVIEWER: ["CASE_DUE_SOON", "CASE_OVERDUE"],
  ADMIN: ["CASE_DUE_SOON", "CASE_OVERDUE"],
};

interface Form {
  language: string;
  byEmail: boolean;
  email: string;
  kinds: string[];
}

export default function Preferences() {
  const { t } = useTranslation("notifications");
  const session = useSession();
  const toast = useToast();
  const role: Role = session.status === "signed-in" ? session.account.role : "LEARNER";
  const [result] = useQuery({ query: NotificationsPreferences });
  const [saving, save] = useMutation(NotificationsSetPreferences);
  const [form, setForm] = useState<Form | null>(null);
  const [missing, setMissing] = useState(false);
  const me = result.data?.me;

  useEffect(() => {
    if (!me || form !== null) return;
    const prefs = me.notificationPreferences;
    setForm({ language: prefs.language, byEmail: prefs.email !== null && prefs.email !== undefined, email: prefs.email ?? me.email, kinds: [...prefs.emailKinds] });
  }, [me, form]);

  if (!me || form === null) {
    return (
      <Page title={t("prefs.title")}>
        {result.error ? <FormErrors refusals={refusals(result.error).general([])} /> : <Loading />}
      </Page>
    );
  }
  const offered = (result.data?.notificationKinds ?? []).filter((kind) => KINDS_OF[role].includes(kind) || form.kinds.includes(kind));
  const shown = refusals(saving.error);
  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const email = form.email.trim();
    if (form.byEmail && email === "") {
      setMissing(true);
      return;
    }
    setMissing(false);
    const answer = await save({ language: form.language, email: form.byEmail ? email : null, emailKinds: form.kinds as NotificationKind[] });
    if (!answer.error) toast(t("prefs.saved"));
  };
  return (
    <Page
      title={t("prefs.title")}
      actions={
        <Link to={inboxPath(role)} className="button secondary">
          {t("prefs.back")}
        </Link>
      }
    >
      <p className="lead">{t("prefs.intro")}</p>
      <form className="form" onSubmit={(e) => void submit(e)} aria-label={t("prefs.title")} noValidate>
        <SelectField
          label={t("prefs.language")}
          value={form.language}
          error={shown.of("language")}
          onChange={(e) => setForm({ ...form, language: e.target.value })}
          options={["zh-CN", "en"].map((value) => ({ value, label: t(`prefs.languages.${value}`) }))}
        />
        <label className="prefs-toggle">
          <input type="checkbox" checked={form.byEmail} onChange={(e) => setForm({ ...form, byEmail: e.target.checked })} />
          {t("prefs.byEmail")}
        </label>
        {form.byEmail ? (
          <TextField
            label={t("prefs.email")}
            type="email"
            autoComplete="email"
            value={form.email}
            hint={t("prefs.emailHint")}
            error={shown.of("email") ?? (missing ? t("prefs.emailMissing") : undefined)}
            onChange={(e) => setForm({ ...form, email: e.target.value })}
          />
        ) : null}
        <fieldset className="prefs-kinds" aria-describedby="prefs-kinds-hint">
          <legend>{t("prefs.kinds")}</legend>
          <p className="hint" id="prefs-kinds-hint">
            {t("prefs.kindsHint")}
          </p>
          <ul>
            {offered.map((kind) => (
              <li key={kind}>
                <label>
                  <input
                    type="checkbox"
                    checked={form.kinds.includes(kind)}
                    onChange={(e) =>
                      setForm({ ...form, kinds: e.target.checked ? [...form.kinds, kind] : form.kinds.filter((k) => k !== kind) })
                    }
                  />
                  {t(`kind.${kind}`, { defaultValue: kind })}
                </label>
              </li>
            ))}
          </ul>
          {shown.of("emailKinds") ? (
            <p className="field-error" role="alert">
              {shown.of("emailKinds")}
            </p>
          ) : null}
        </fieldset>
        <FormErrors refusals={shown.general(["language", "email", "emailKinds"])} />
        <div className="actions">
          <button type="submit" disabled={saving.fetching}>
            {t("prefs.save")}
          </button>
        </div>
      </form>
    </Page>
  );
}
