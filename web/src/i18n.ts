// zh-CN (the default) and English; the choice is remembered in localStorage and sent to
// the gateway as Accept-Language, so the API's names and refusals come in it too.
import i18n from "i18next";
import LanguageDetector from "i18next-browser-languagedetector";
import { initReactI18next } from "react-i18next";
import { setLanguageSource } from "./api/session";
import { resources } from "./locales";

export const LANGUAGES = ["zh-CN", "en"] as const;
export type Language = (typeof LANGUAGES)[number];
export const STORAGE_KEY = "cb.language";

void i18n
  .use(LanguageDetector)
  .use(initReactI18next)
  .init({
    resources,
    supportedLngs: [...LANGUAGES],
    fallbackLng: "zh-CN",
    nonExplicitSupportedLngs: false,
    load: "currentOnly",
    defaultNS: "common",
    ns: Object.keys(resources["zh-CN"]),
    interpolation: { escapeValue: false },
    returnNull: false,
    detection: {
      order: ["localStorage"],
      lookupLocalStorage: STORAGE_KEY,
      caches: ["localStorage"],
    },
  });

export function language(): Language {
  return (LANGUAGES as readonly string[]).includes(i18n.language) ? (i18n.language as Language) : "zh-CN";
}

setLanguageSource(language);

function mark(lng: string): void {
  if (typeof document !== "undefined") document.documentElement.lang = lng;
}
mark(language());
i18n.on("languageChanged", mark);

export default i18n;
