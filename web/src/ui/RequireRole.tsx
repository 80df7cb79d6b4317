import type { ReactNode } from "react";
import { useTranslation } from "react-i18next";
import { Navigate, useLocation } from "react-router";
import { useSession, type Role } from "../api/session";
import { Loading } from "./Page";

/** The page only for signed-in accounts of one of `roles`. */
export function RequireRole({ roles, children }: { roles: readonly Role[]; children: ReactNode }) {
  const { t } = useTranslation();
  const session = useSession();
  const location = useLocation();
  if (session.status === "loading") return <Loading />;
  if (session.status === "anonymous") {
    return <Navigate to={`/sign-in?next=${encodeURIComponent(location.pathname + location.search)}`} replace />;
  }
  if (!roles.includes(session.account.role)) {
    return <p className="form-errors" role="alert">{t("forbidden")}</p>;
  }
  return <>{children}</>;
}

export const HOME_OF: Record<Role, string> = {
  LEARNER: "/learner",
  REVIEWER: "/reviewer",
  INSTITUTION: "/institution",
  ADMIN: "/admin",
};
