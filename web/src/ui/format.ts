// Dates, instants and credits as the reader's language writes them. Credits stay the
// decimal strings the API sends: never through a float.
import i18n from "i18next";

function locale(): string {
  return i18n.language === "en" ? "en-GB" : "zh-CN";
}

/** "2026-12-01T08:00:00Z" in the reader's language and zone. */
export function instant(value: string | null | undefined): string {
  if (!value) return "";
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeStyle: "short" }).format(new Date(value));
}

/** A calendar day ("2026-12-01"), never shifted by the reader's zone. */
export function day(value: string | null | undefined): string {
  if (!value) return "";
  const [y, m, d] = value.split("-").map(Number);
  return new Intl.DateTimeFormat(locale(), { dateStyle: "medium", timeZone: "UTC" }).format(new Date(Date.UTC(y, m - 1, d)));
}

/** A decimal string of credits, trailing zeros beyond one place dropped ("3.00" → "3.0"). */
export function credits(value: string | null | undefined): string {
  if (value === null || value === undefined) return "";
  const [whole, fraction = ""] = value.split(".");
  const kept = fraction.replace(/0+$/, "");
  return `${whole}.${kept.length === 0 ? "0" : kept}`;
}

/** Today in the bank's calendar as YYYY-MM-DD (Asia/Shanghai). */
export function today(zone = "Asia/Shanghai"): string {
  return new Intl.DateTimeFormat("en-CA", { timeZone: zone, year: "numeric", month: "2-digit", day: "2-digit" }).format(new Date());
}
