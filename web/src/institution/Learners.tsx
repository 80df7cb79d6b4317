// Placeholder: replaced by the institution pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function Learners() {
  const { t } = useTranslation("institution");
  return <Page title={t("nav.learners", { defaultValue: "Learners" })}>{null}</Page>;
}
