// Placeholder: replaced by the reviewer pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function Queue() {
  const { t } = useTranslation("reviewer");
  return <Page title={t("nav.queue", { defaultValue: "Queue" })}>{null}</Page>;
}
