import { useState, type FormEvent } from "react";
import { useTranslation } from "react-i18next";
import { Link, useNavigate, useSearchParams } from "react-router";
import { refusals } from "../api/refusals";
import { login, type AuthRefusal } from "../api/session";
import { FormErrors, TextField } from "../ui/forms";
import { Page } from "../ui/Page";
import { HOME_OF } from "../ui/RequireRole";

/** Where to go after signing in: the page asked for (only a path of ours), else home. */
export function nextPath(next: string | null, fallback: string): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : fallback;
}

export default function SignIn() {
  const { t } = useTranslation();
  const navigate = useNavigate();
  const [params] = useSearchParams();
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
      const account = await login(email.trim(), password);
      navigate(nextPath(params.get("next"), HOME_OF[account.role]), { replace: true });
    } catch (caught) {
      setError(caught as Error);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Page title={t("signIn.title")}>
      <form className="form narrow" onSubmit={submit} noValidate>
        <TextField
          label={t("signIn.email")}
          type="email"
          autoComplete="username"
          required
          value={email}
          onChange={(e) => setEmail(e.target.value)}
          error={shown.of("email")}
        />
        <TextField
          label={t("signIn.password")}
          type="password"
          autoComplete="current-password"
          required
          value={password}
          onChange={(e) => setPassword(e.target.value)}
          error={shown.of("password")}
        />
        <FormErrors refusals={shown.general(["email", "password"])} />
        <button type="submit" disabled={busy}>
          {t("signIn.submit")}
        </button>
        <p>
          {t("signIn.noAccount")} <Link to="/sign-up">{t("signIn.openAccount")}</Link>
        </p>
        <p>
          {t("signIn.verifyLead")} <Link to="/verify">{t("verify.nav", { ns: "credentials" })}</Link>
        </p>
      </form>
    </Page>
  );
}
