// Placeholder: replaced by the learner pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function Consents() {
  const { t } = useTranslation("consents");
  return <Page title={t("nav.consents", { defaultValue: "Consents" })}>{null}</Page>;
}
