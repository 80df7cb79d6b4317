import { useTranslation } from "react-i18next";
import { Link, Navigate } from "react-router";
import { useSession } from "../api/session";
import { Loading, Page } from "../ui/Page";
import { HOME_OF } from "../ui/RequireRole";

export default function Home() {
  const { t } = useTranslation();
  const session = useSession();
  if (session.status === "loading") return <Loading />;
  if (session.status === "signed-in") return <Navigate to={HOME_OF[session.account.role]} replace />;
  return (
    <Page title={t("home.title")}>
      <p className="lead">{t("home.lead")}</p>
      <p>{t("home.verify")}</p>
      <p className="actions">
        <Link to="/sign-up" className="button">
          {t("nav.signUp")}
        </Link>
        <Link to="/sign-in" className="button secondary">
          {t("nav.signIn")}
        </Link>
      </p>
    </Page>
  );
}
