// Placeholder: replaced by the admin pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function CatalogHistory() {
  const { t } = useTranslation("admin");
  return <Page title={t("nav.history", { defaultValue: "CatalogHistory" })}>{null}</Page>;
}
