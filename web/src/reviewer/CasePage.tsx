// Placeholder: replaced by the reviewer pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function CasePage() {
  const { t } = useTranslation("reviewer");
  return <Page title={t("title.CasePage", { defaultValue: "CasePage" })}>{null}</Page>;
}
