// Placeholder: replaced by the admin pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function Staff() {
  const { t } = useTranslation("admin");
  return <Page title={t("nav.staff", { defaultValue: "Staff" })}>{null}</Page>;
}
