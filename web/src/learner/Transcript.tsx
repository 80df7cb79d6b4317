// Placeholder: replaced by the learner pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function Transcript() {
  const { t } = useTranslation("consents");
  return <Page title={t("nav.transcript", { defaultValue: "Transcript" })}>{null}</Page>;
}
