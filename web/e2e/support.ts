// What every spec uses: a browser context per person (each watched for CSP violations and
// uncaught errors, which fail the test), the axe check of a page, its screenshot, and
// names unique to the run (the system under test is shared with other tests).
import { appendFileSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { test as base, expect, type Browser, type BrowserContext, type Locator, type Page } from "@playwright/test";

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const ARTIFACTS = path.join(HERE, "artifacts");
export const FIXTURES = path.join(HERE, "fixtures");
const AXE_SOURCE = readFileSync(path.join(HERE, "..", "node_modules", "axe-core", "axe.min.js"), "utf8");

/** What went wrong in any page of the test that no assertion looked at. */
const problems: string[] = [];

/** Watch a context's pages: a CSP violation or an uncaught error is a bug. */
export function watch(context: BrowserContext, who: string): BrowserContext {
  context.on("console", (message) => {
    if (/Content Security Policy/i.test(message.text())) problems.push(`${who}: CSP: ${message.text()}`);
  });
  context.on("weberror", (error) => problems.push(`${who}: page error: ${error.error().message}`));
  return context;
}

/** `test` with the watch on: the default page's context is watched, and the test fails at
 * its end if any watched page broke the CSP or threw. */
export const test = base.extend<{ guard: void }>({
  context: async ({ context }, use) => {
    await use(watch(context, "page"));
  },
  guard: [
    async ({}, use) => {
      problems.length = 0;
      await use();
      const seen = problems.splice(0);
      expect(seen, "CSP violations and uncaught page errors").toEqual([]);
    },
    { auto: true },
  ],
});
export { expect };

export interface Person {
  context: BrowserContext;
  page: Page;
}

/** A person of the story in a browser context of their own (cookies, storage, session). */
export async function person(
  browser: Browser,
  who: string,
  options: { viewport?: { width: number; height: number }; isMobile?: boolean; hasTouch?: boolean } = {},
): Promise<Person> {
  const context = watch(await browser.newContext({ locale: "zh-CN", timezoneId: "Asia/Shanghai", ...options }), who);
  const page = await context.newPage();
  return { context, page };
}

/** A short name unique to this run (accounts, institution names and codes). */
export function unique(prefix: string): string {
  const stamp = `${Date.now().toString(36)}${Math.floor(Math.random() * 36 ** 3).toString(36)}`;
  return `${prefix}-${stamp}`;
}

interface AxeViolation {
  id: string;
  impact: string | null;
  help: string;
  helpUrl: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** axe-core on the page as it is: fails on any serious or critical violation. axe is
 * evaluated over the DevTools protocol, which the page's CSP does not govern, so the CSP
 * stays as strict as users get it. */
export async function checkA11y(page: Page, name: string): Promise<void> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe !== "undefined");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const violations = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (context: Document, options: object) => Promise<{ violations: AxeViolation[] }> } }).axe;
    const result = await axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      helpUrl: v.helpUrl,
      nodes: v.nodes.map((n) => ({ target: n.target, failureSummary: n.failureSummary })),
    }));
  });
  const blocking = violations.filter((v) => v.impact === "serious" || v.impact === "critical");
  // the lesser ones do not fail, but are noted for whoever polishes the pages
  const lesser = violations.filter((v) => !blocking.includes(v));
  if (lesser.length > 0) {
    mkdirSync(ARTIFACTS, { recursive: true });
    const notes = lesser.map((v) => JSON.stringify({ page: name, id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n) => n.target) }));
    appendFileSync(path.join(ARTIFACTS, "axe-lesser.jsonl"), notes.join("\n") + "\n");
  }
  const report = blocking
    .map(
      (v) =>
        `${v.id} (${v.impact}): ${v.help}\n` +
        v.nodes.map((n) => `    at ${JSON.stringify(n.target)}${n.failureSummary ? `\n      ${n.failureSummary.replace(/\n/g, "\n      ")}` : ""}`).join("\n"),
    )
    .join("\n");
  expect(blocking.length, `axe on ${name} (${page.url()}):\n${report}`).toBe(0);
}

/** A full-page PNG of the page, under web/e2e/artifacts/<name>.png. */
export async function shot(page: Page, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.png`);
  mkdirSync(path.dirname(file), { recursive: true });
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The words of the portal's "loading" indicator (common:loading), in both languages. */
const LOADING = /^(Loading…|加载中…)$/;

/** The page is shown: its h1 (the given text, when given), nothing still loading in the
 * main area; then the axe check and a screenshot. */
export async function visit(page: Page, name: string, heading?: string | RegExp): Promise<void> {
  const h1 = page.getByRole("heading", { level: 1 });
  await expect(h1).toBeVisible();
  if (heading !== undefined) await expect(h1).toHaveText(heading);
  await expect(page.getByRole("main").getByRole("status").filter({ hasText: LOADING })).toHaveCount(0);
  await checkA11y(page, name);
  await shot(page, name);
}

/** Switch the page to `lang` with the header's switch (remembered by the browser). */
export async function speak(page: Page, lang: "en" | "zh-CN"): Promise<void> {
  const html = page.locator("html");
  if ((await html.getAttribute("lang")) !== lang) await page.getByTestId("language-switch").click();
  await expect(html).toHaveAttribute("lang", lang);
}

/** Sign in through the form; lands on the role's home. */
export async function signIn(page: Page, email: string, password: string, labels = EN): Promise<void> {
  await page.goto("/sign-in");
  await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
  await page.getByLabel(labels.email, { exact: true }).fill(email);
  await page.getByLabel(labels.password, { exact: true }).fill(password);
  await page.getByRole("main").getByRole("button", { name: labels.signIn, exact: true }).click();
  await expect(page).not.toHaveURL(/\/sign-in/);
}

export const EN = { email: "Email", password: "Password", signIn: "Sign in", signOut: "Sign out" };
export const ZH = { email: "电子邮箱", password: "密码", signIn: "登录", signOut: "退出" };

/** The admin account of the system under test. */
export function admin(): { email: string; password: string } {
  return {
    email: process.env.CB_ADMIN_EMAIL ?? "admin@creditbank.local",
    password: process.env.CB_ADMIN_PASSWORD ?? "admin-password-change-me",
  };
}

/** The field (label → control) the locator is, with its message next to it. */
export function errorOf(field: Locator): Locator {
  return field.locator("xpath=ancestor::div[contains(@class,'field')][1]").locator(".field-error");
}

type Tree = { [key: string]: string | Tree };
const LOCALES = path.join(HERE, "..", "src", "locales");
const loaded = new Map<string, Tree>();

function namespace(lang: string, ns: string): Tree {
  const key = `${lang}/${ns}`;
  if (!loaded.has(key)) loaded.set(key, JSON.parse(readFileSync(path.join(LOCALES, lang, `${ns}.json`), "utf8")) as Tree);
  return loaded.get(key) as Tree;
}

/** The page's words, as the portal's translations write them: `words("en")("learner:add.title")`,
 * with i18next's {{name}} values and `count` plurals. A key the translations lack fails
 * the test, naming it (a page whose words are missing is a page half written). */
export function words(lang: "en" | "zh-CN") {
  return (key: string, values: Record<string, string | number> = {}): string => {
    const [ns, dotted] = key.includes(":") ? key.split(":", 2) : ["common", key];
    const parts = dotted.split(".");
    const last = parts.pop() as string;
    let node: string | Tree | undefined = namespace(lang, ns);
    for (const part of parts) node = typeof node === "object" ? node[part] : undefined;
    const candidates =
      values.count === undefined
        ? [last]
        : [lang === "en" && values.count === 1 ? `${last}_one` : `${last}_other`, `${last}_other`, last];
    const found = typeof node === "object" ? candidates.map((c) => (node as Tree)[c]).find((v) => typeof v === "string") : undefined;
    if (typeof found !== "string") throw new Error(`no ${lang} text for ${key}`);
    return found.replace(/\{\{\s*(\w+)\s*\}\}/g, (_, name: string) => String(values[name] ?? `{{${name}}}`));
  };
}

/** A text as a pattern that matches it exactly, with any {{value}} left in it as a wildcard. */
export function pattern(text: string, exact = false): RegExp {
  const escaped = text
    .split(/\{\{\w+\}\}/)
    .map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"))
    .join(".*");
  return new RegExp(exact ? `^${escaped}$` : escaped);
}

/** Click "Show more" under a paged list until `wanted` is there (or there is no more). */
export async function showUntil(page: Page, wanted: Locator, more: string): Promise<void> {
  for (let i = 0; i < 20; i++) {
    if (await wanted.first().isVisible()) return;
    const button = page.getByRole("button", { name: more, exact: true });
    if (!(await button.first().isVisible())) break;
    await button.last().click();
    await page.waitForLoadState("networkidle").catch(() => undefined);
  }
  await expect(wanted.first()).toBeVisible();
}
