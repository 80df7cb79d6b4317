// Placeholder: replaced by the institution pages' author.
import { useTranslation } from "react-i18next";
import { Page } from "../ui/Page";

export default function Feed() {
  const { t } = useTranslation("institution");
  return <Page title={t("nav.feed", { defaultValue: "Feed" })}>{null}</Page>;
}
