// Placeholder: replaced by the institution pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function LearnerTranscript() {
  const { t } = useTranslation("institution");
  return <Page title={t("title.LearnerTranscript", { defaultValue: "LearnerTranscript" })}>{null}</Page>;
}
