// The learner's flow on a phone (375×812), in Chinese, the portal's default: she opens
// an account, adds a result with its scan, sees it waiting for a reviewer with its due
// day, then her dashboard, her transcript (its credential refused: nothing certified yet),
// the institutions' directory, her inbox (empty) and message preferences; and the public verify page, signed out, with a
// credential's verdict. Every page is checked by axe, saved as a screenshot, and must fit
// the screen's width.
import path from "node:path";
import type { Page } from "@playwright/test";
import { FIXTURES, expect, pattern, test, unique, visit, words } from "./support";

const t = words("zh-CN");
/** The committed example certificate (docs/credentials/): signed by another deployment's key. */
const EXAMPLE = path.join(FIXTURES, "..", "..", "..", "docs", "credentials", "certificate.json");
const run = unique("phone");
const tag = run.slice("phone-".length);
const learner = { name: `王芳 ${tag}`, email: `wang.fang.${run}@example.org`, password: "learner-password" };
const result = {
  title: `幼儿园园长资格证 ${tag}`,
  issuer: "重庆市教育委员会",
  search: "园长",
  credential: "CN-KINDERGARTEN-PRINCIPAL",
  file: "teacher-certificate.png",
};

test.use({ viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true, locale: "zh-CN" });

/** The page fits the phone's width: nothing to scroll sideways. */
async function fits(page: Page, name: string): Promise<void> {
  const wide = await page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const over = [...document.querySelectorAll("body *")]
      .filter((element) => {
        const box = element.getBoundingClientRect();
        return box.width > 0 && box.right > width + 1 && !element.closest(".table-wrap, [data-scroll-x]");
      })
      .slice(0, 5)
      .map((element) => `${element.tagName.toLowerCase()}${element.className ? `.${String(element.className).split(" ").join(".")}` : ""}`);
    return { scroll: document.documentElement.scrollWidth, width, over };
  });
  expect(wide.scroll, `${name} scrolls sideways at 375 px: ${wide.over.join(", ")}`).toBeLessThanOrEqual(wide.width);
}

async function phoneVisit(page: Page, name: string, heading?: string | RegExp): Promise<void> {
  await visit(page, name, heading);
  await fits(page, name);
}

/** Follow a link of the header's navigation. */
async function go(page: Page, label: string): Promise<void> {
  await page.getByRole("navigation", { name: t("nav.main") }).getByRole("link", { name: label, exact: true }).click();
}

test("on a phone, in Chinese: she opens an account, adds a result with its scan and sees it waiting", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await phoneVisit(page, "phone/home", t("home.title"));
  await page.getByRole("main").getByRole("link", { name: t("nav.signUp") }).click();
  await phoneVisit(page, "phone/sign-up", t("signUp.title"));
  await page.getByLabel(t("signUp.displayName"), { exact: true }).fill(learner.name);
  await page.getByLabel(t("signUp.email"), { exact: true }).fill(learner.email);
  await page.getByLabel(t("signUp.password"), { exact: true }).fill(learner.password);
  await page.getByRole("button", { name: t("signUp.submit") }).click();
  await expect(page).toHaveURL(/\/learner$/);
  await phoneVisit(page, "phone/dashboard-new", learner.name);

  await go(page, t("learner:nav.addResult"));
  await phoneVisit(page, "phone/add-result", t("learner:add.title"));
  await page.getByLabel(t("learner:add.kind"), { exact: true }).selectOption({ label: t("learner:kind.QUALIFICATION_CERTIFICATE") });
  await page.getByLabel(t("learner:add.resultTitle"), { exact: true }).fill(result.title);
  await page.getByLabel(t("learner:add.issuer"), { exact: true }).fill(result.issuer);
  await page.getByLabel(t("learner:add.credential"), { exact: true }).fill(result.search);
  await page
    .getByRole("group", { name: t("learner:add.credentialMatches") })
    .getByRole("radio", { name: new RegExp(result.credential) })
    .check();
  await expect(page.getByTestId("credential-chosen")).toContainText(result.credential);
  await page.getByLabel(t("learner:add.achievedOn"), { exact: true }).fill("2024-06-30");
  await page.getByLabel(t("learner:upload.choose"), { exact: true }).setInputFiles(path.join(FIXTURES, result.file));
  const uploads = page.getByRole("list", { name: t("learner:upload.chosen") });
  await expect(uploads.getByTestId("upload-state")).toHaveText(t("learner:upload.done"));
  await phoneVisit(page, "phone/add-result-filled");
  await page.getByRole("button", { name: t("learner:add.submit") }).click();

  await expect(page.getByRole("heading", { level: 1 })).toHaveText(result.title);
  await expect(page.getByTestId("due-on")).toBeVisible();
  await expect(page.getByRole("main")).toContainText(result.file);
  await phoneVisit(page, "phone/result-submitted");

  await go(page, t("learner:nav.results"));
  const item = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: result.title }) });
  await expect(item).toContainText(t("learner:status.SUBMITTED"));
  await expect(item).toContainText(pattern(t("learner:results.dueOn")));
  await phoneVisit(page, "phone/results", t("learner:results.title"));

  await go(page, t("learner:nav.dashboard"));
  await expect(page.getByRole("main")).toContainText(result.title);
  await expect(page.getByTestId("balance-available")).toContainText("0.0");
  await phoneVisit(page, "phone/dashboard", learner.name);

  await go(page, t("consents:nav.transcript"));
  await expect(page.getByRole("main")).toContainText(learner.name);
  await phoneVisit(page, "phone/transcript");
  // nothing certified yet: the transcript credential is refused, the reason by the button
  const download = page.getByRole("button", { name: t("credentials:transcript.download"), exact: true });
  await download.click();
  await expect(page.getByRole("main").getByRole("alert")).toBeVisible();
  await expect(download).toHaveAccessibleDescription(/\S/);
  await phoneVisit(page, "phone/transcript-credential-refused");

  await go(page, t("consents:nav.directory"));
  await phoneVisit(page, "phone/directory", t("consents:directory.title"));
  await go(page, t("consents:nav.consents"));
  await phoneVisit(page, "phone/consents", t("consents:consents.title"));

  // her messages (none yet) and their preferences, from the header's link
  await page.getByTestId("inbox-link").click();
  await expect(page.getByRole("main")).toContainText(t("notifications:inbox.none"));
  await phoneVisit(page, "phone/inbox", t("notifications:inbox.title"));
  await page.getByRole("link", { name: t("notifications:inbox.preferences") }).click();
  await page.getByRole("checkbox", { name: t("notifications:prefs.byEmail") }).check();
  await expect(page.getByLabel(t("notifications:prefs.email"), { exact: true })).toHaveValue(learner.email);
  await phoneVisit(page, "phone/preferences", t("notifications:prefs.title"));
});

test("on a phone, signed out: the verify page reads a credential's file and its verdict fits the screen", async ({ page }) => {
  await page.goto("/verify");
  await phoneVisit(page, "phone/verify", t("credentials:verify.title"));
  await page.getByLabel(t("credentials:verify.choose"), { exact: true }).setInputFiles(EXAMPLE);
  await expect(page.getByText(t("credentials:verify.loaded", { name: "certificate.json" }))).toBeVisible();
  await page.getByRole("button", { name: t("credentials:verify.submit"), exact: true }).click();
  const verdict = page.getByTestId("verdict");
  await expect(verdict.getByRole("heading", { level: 2 })).toBeVisible();
  await expect(page.getByTestId("verdict-did")).toHaveText("did:web:creditbank.example");
  await phoneVisit(page, "phone/verify-verdict");
});
