// Placeholder: replaced by the reviewer pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function History() {
  const { t } = useTranslation("reviewer");
  return <Page title={t("nav.history", { defaultValue: "History" })}>{null}</Page>;
}
