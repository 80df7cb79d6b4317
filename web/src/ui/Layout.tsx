import { Suspense, lazy } from "react";
import { useTranslation } from "react-i18next";
import { Link, Outlet, useLocation, useNavigate } from "react-router";
import { logout, useSession, type Role } from "../api/session";
import { nav as adminNav } from "../admin/nav";
import { nav as institutionNav } from "../institution/nav";
import { nav as learnerNav } from "../learner/nav";
import { nav as reviewerNav } from "../reviewer/nav";
import i18n, { language } from "../i18n";
import { ConnectionBanner } from "./ConnectionBanner";
import { Loading } from "./Page";

// the header's inbox link loads after the first page (it asks the API: the operations' table comes with it)
const InboxBadge = lazy(() => import("../notifications/Badge"));

const NAV: Record<Role, { to: string; label: string; ns: string }[]> = {
  LEARNER: learnerNav,
  REVIEWER: reviewerNav,
  INSTITUTION: institutionNav,
  ADMIN: [...adminNav, ...reviewerNav],
};

/** The menu entry the page belongs to: the longest entry the path is or lies under
 * (/learner/results/new is "Add results", /learner/results/42 "My results"). */
export function currentItem(items: { to: string }[], path: string): string | undefined {
  return items
    .filter((item) => path === item.to || path.startsWith(`${item.to}/`))
    .sort((a, b) => b.to.length - a.to.length)[0]?.to;
}

export function LanguageSwitch() {
  const { t } = useTranslation();
  const next = language() === "en" ? "zh-CN" : "en";
  return (
    <button
      type="button"
      className="secondary small"
      lang={next}
      title={t("language.label")}
      onClick={() => void i18n.changeLanguage(next)}
      data-testid="language-switch"
    >
      {t("language.switch")}
    </button>
  );
}

export function Layout() {
  const { t } = useTranslation();
  const session = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const items = session.status === "signed-in" ? NAV[session.account.role] : [];
  const current = currentItem(items, location.pathname);
  return (
    <>
      <a className="skip" href="#main">
        {t("skip")}
      </a>
      <header className="top">
        <div className="top-row">
          <Link to="/" className="brand">
            {t("brand")}
          </Link>
          <div className="top-tools">
            <LanguageSwitch />
            {session.status === "signed-in" ? (
              <>
                <Suspense fallback={null}>
                  <InboxBadge role={session.account.role} />
                </Suspense>
                <span className="who">
                  {session.account.displayName} · {t(`role.${session.account.role}`)}
                </span>
                <button
                  type="button"
                  className="secondary small"
                  onClick={() => void logout().then(() => navigate("/sign-in"))}
                >
                  {t("nav.signOut")}
                </button>
              </>
            ) : session.status === "anonymous" ? (
              <Link to="/sign-in" className="button small">
                {t("nav.signIn")}
              </Link>
            ) : null}
          </div>
        </div>
        {items.length > 0 ? (
          <nav aria-label={t("nav.main")} className="nav">
            <ul>
              {items.map((item) => (
                <li key={item.to}>
                  <Link
                    to={item.to}
                    className={item.to === current ? "active" : undefined}
                    aria-current={item.to === current ? "page" : undefined}
                  >
                    {t(item.label, { ns: item.ns })}
                  </Link>
                </li>
              ))}
            </ul>
          </nav>
        ) : null}
      </header>
      <ConnectionBanner />
      <main id="main" tabIndex={-1}>
        <Suspense fallback={<Loading />}>
          <Outlet />
        </Suspense>
      </main>
      <footer className="foot no-print">
        <Link to="/verify">{t("verify.nav", { ns: "credentials" })}</Link>
      </footer>
    </>
  );
}
