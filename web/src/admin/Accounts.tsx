// Placeholder: replaced by the admin pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function Accounts() {
  const { t } = useTranslation("admin");
  return <Page title={t("nav.accounts", { defaultValue: "Accounts" })}>{null}</Page>;
}
