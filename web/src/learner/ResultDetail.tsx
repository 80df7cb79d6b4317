// Placeholder: replaced by the learner pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function ResultDetail() {
  const { t } = useTranslation("learner");
  return <Page title={t("title.ResultDetail", { defaultValue: "ResultDetail" })}>{null}</Page>;
}
