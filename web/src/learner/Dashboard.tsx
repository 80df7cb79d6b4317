// Placeholder: replaced by the learner pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function Dashboard() {
  const { t } = useTranslation("learner");
  return <Page title={t("nav.dashboard", { defaultValue: "Dashboard" })}>{null}</Page>;
}
