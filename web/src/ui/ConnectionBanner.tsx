import { useTranslation } from "react-i18next";
import { useOnline } from "../api/connection";

/** While the gateway cannot be reached: a banner; it goes when the connection is back. */
export function ConnectionBanner() {
  const { t } = useTranslation();
  const online = useOnline();
  if (online) return null;
  return (
    <div className="banner banner-offline" role="alert" data-testid="connection-lost">
      {t("connection.lost")}
    </div>
  );
}
