import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate } from "react-router";
import { refusals } from "../api/refusals";
import { signup, type AuthRefusal } from "../api/session";
import { FormErrors, TextField } from "../ui/forms";
import { Page } from "../ui/Page";

export default function SignUp() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [displayName, setDisplayName] = useState("");
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [error, setError] = useState<AuthRefusal | Error | null>(null);
  const [busy, setBusy] = useState(false);
  const shown = refusals(error);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await signup(email.trim(), password, displayName.trim());
      navigate("/learner", { replace: true });
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t("signUp.title")}>
      <p className="lead">{t("signUp.intro")}</p>
      <form className="form narrow" onSubmit={submit} noValidate>
        <TextField
          label={t("signUp.displayName")}
          autoComplete="name"
          required
          value={displayName}
          onChange={(e) => setDisplayName(e.target.value)}
          error={shown.of("displayName")}
        />
        <TextField
          label={t("signUp.email")}
          type="email"
          autoComplete="email"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={shown.of("email")}
        />
        <TextField
          label={t("signUp.password")}
          type="password"
          autoComplete="new-password"
          required
          hint={t("signUp.passwordHint")}
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={shown.of("password")}
        />
        <FormErrors refusals={shown.general(["displayName", "email", "password"])} />
        <button type="submit" disabled={busy}>
          {t("signUp.submit")}
        </button>
        <p>
          {t("signUp.haveAccount")} <Link to="/sign-in">{t("nav.signIn")}</Link>
        </p>
      </form>
    </Page>
  );
}
