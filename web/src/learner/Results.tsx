// Placeholder: replaced by the learner pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function Results() {
  const { t } = useTranslation("learner");
  return <Page title={t("nav.results", { defaultValue: "Results" })}>{null}</Page>;
}
