// The kindergarten teacher's story (README's walk-through) through the portal only, in
// English, each person in a browser context of their own: the admin opens a reviewer's
// and a university's accounts; the university sets its profile and the course it
// offers; the teacher opens her account and adds her two certificates with their scans;
// the reviewer claims, looks at the evidence and approves; she sees the news arrive, her
// credits and certificate, downloads it and her transcript as signed credentials that
// anyone verifies at /verify (and a changed one is not), and lets the university read
// her account; the university downloads her transcript too and redeems a course (and is
// refused a second time, saying why); the admin looks at the figures and the catalog's
// history; she revokes the consent and the university no longer sees her. Then each of
// them switches to Chinese and looks again. Every page on the way is checked by axe and
// saved as a screenshot. Along the way: her header's message count rises while she
// watches, she reads "Result certified" in her inbox and marks her messages read (in
// Chinese at the end: 已认证); the university registers a webhook endpoint (a receiver
// this spec runs) that gets her consent and the redemption signed, and reads its
// delivery log.
import { createHmac } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import path from "node:path";
import type { Browser, Download } from "@playwright/test";
import { ARTIFACTS, FIXTURES, admin, errorOf, expect, pattern, person, shot, showUntil, signIn, speak, test, unique, visit, words, type Person } from "./support";

const t = words("en");
const zh = words("zh-CN");
const run = unique("story");
const tag = run.slice("story-".length);

const reviewer = { name: `Reviewer Gao ${tag}`, email: `gao.${run}@example.org`, password: "reviewer-password" };
const university = {
  name: `Chongqing Normal University ${tag}`,
  email: `admissions.${run}@cqnu.example.org`,
  password: "university-password",
  code: `CQNU-${tag}`.slice(0, 20).toUpperCase(),
  nameZh: `重庆师范大学 ${tag}`,
  nameEn: `Chongqing Normal University ${tag}`,
  city: "Chongqing",
};
const teacher = { name: `Li Na ${tag}`, email: `li.na.${run}@example.org`, password: "teacher-password" };
const principalResult = {
  title: `Kindergarten principal qualification certificate ${tag}`,
  issuer: "Chongqing Municipal Education Commission",
  search: "园长",
  credential: "CN-KINDERGARTEN-PRINCIPAL",
  file: "principal-certificate.pdf",
};
const teacherResult = {
  title: `Preschool teacher qualification certificate ${tag}`,
  issuer: "Ministry of Education",
  search: "preschool teacher",
  credential: "CN-PRESCHOOL-TEACHER",
  file: "teacher-certificate.png",
};
const REDEEMED_COURSE = "PE-CGADO";
const CERTIFICATE = "Certificate in Kindergarten Management and Play-based Teaching";

let adminOf: Person;
let institutionOf: Person;
let learnerOf: Person;
let reviewerOf: Person;

/** What the university's webhook receiver got: each request's headers and body. */
interface Received {
  id: string;
  timestamp: string;
  signature: string;
  body: string;
  type: string;
}
const received: Received[] = [];
let receiver: Server | undefined;
let webhookSecret = "";

/** A local HTTP receiver that answers 204 to every webhook and keeps what came. */
async function startReceiver(): Promise<string> {
  receiver = createServer((request, response) => {
    const chunks: Buffer[] = [];
    request.on("data", (chunk: Buffer) => chunks.push(chunk));
    request.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      let type = "";
      try {
        type = String((JSON.parse(body) as { type?: unknown }).type ?? "");
      } catch {
        type = "(not JSON)";
      }
      const header = (name: string) => String(request.headers[name] ?? "");
      received.push({ id: header("webhook-id"), timestamp: header("webhook-timestamp"), signature: header("webhook-signature"), body, type });
      response.writeHead(204).end();
    });
  });
  await new Promise<void>((resolve) => receiver?.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
}

/** The Standard Webhooks signature of a delivery: v1, base64 HMAC-SHA256 of id.timestamp.body. */
function signed(secret: string, delivery: Received): boolean {
  const key = Buffer.from(secret.replace(/^whsec_/, ""), "base64");
  const expected = createHmac("sha256", key).update(`${delivery.id}.${delivery.timestamp}.${delivery.body}`).digest("base64");
  return delivery.signature.split(" ").includes(`v1,${expected}`);
}

async function english(browser: Browser, who: string): Promise<Person> {
  const someone = await person(browser, who);
  await someone.page.goto("/");
  await speak(someone.page, "en");
  return someone;
}

/** Click `button` and keep what it downloads under web/e2e/artifacts/story/: its file
 * name as the browser got it, and its JSON. */
async function downloaded(someone: Person, button: string): Promise<{ name: string; file: string; json: Record<string, unknown> }> {
  const [download]: [Download, void] = await Promise.all([
    someone.page.waitForEvent("download"),
    someone.page.getByRole("button", { name: button, exact: true }).click(),
  ]);
  const name = download.suggestedFilename();
  const file = path.join(ARTIFACTS, "story", name);
  await download.saveAs(file);
  return { name, file, json: JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown> };
}

/** Follow a link of the header's navigation. */
async function go(someone: Person, label: string): Promise<void> {
  await someone.page.getByRole("navigation", { name: t("nav.main") }).getByRole("link", { name: label, exact: true }).click();
}

test.describe.serial("the kindergarten teacher's story", () => {
  test.afterAll(async () => {
    for (const someone of [adminOf, institutionOf, learnerOf, reviewerOf]) await someone?.context.close();
    await new Promise((resolve) => (receiver ? receiver.close(resolve) : resolve(undefined)));
  });

  test("the admin opens a reviewer's and a university's accounts", async ({ browser }) => {
    adminOf = await english(browser, "admin");
    const { page } = adminOf;
    await signIn(page, admin().email, admin().password);
    await expect(page).toHaveURL(/\/admin$/);
    await go(adminOf, t("admin:nav.staff"));
    await visit(page, "story/admin-staff", t("admin:nav.staff"));

    for (const [role, account] of [
      ["REVIEWER", reviewer],
      ["INSTITUTION", university],
    ] as const) {
      const form = page.getByRole("form", { name: t("admin:staff.formTitle") });
      await form.getByLabel(t("admin:staff.role"), { exact: true }).selectOption({ label: t(`role.${role}`) });
      await form.getByLabel(t("admin:staff.displayName"), { exact: true }).fill(account.name);
      await form.getByLabel(t("admin:staff.email"), { exact: true }).fill(account.email);
      await form.getByLabel(t("admin:staff.password"), { exact: true }).fill(account.password);
      await form.getByRole("button", { name: t("admin:staff.submit") }).click();
      await expect(page.locator(".toasts")).toContainText(account.email);
      await expect(page.getByRole("table", { name: t(`role.${role}`) })).toContainText(account.email);
    }
    await visit(page, "story/admin-staff-created");
  });

  test("the university sets its profile and the course it offers", async ({ browser }) => {
    institutionOf = await english(browser, "institution");
    const { page } = institutionOf;
    await signIn(page, university.email, university.password);
    await expect(page).toHaveURL(/\/institution$/);
    await visit(page, "story/institution-learners-none", t("institution:nav.learners"));
    await go(institutionOf, t("institution:nav.profile"));
    await visit(page, "story/institution-profile-empty", t("institution:nav.profile"));

    // a code the API refuses: its reason under the code's field
    const code = page.getByLabel(t("institution:profile.code"), { exact: true });
    await code.fill("not a code!");
    await page.getByLabel(t("institution:profile.nameZh"), { exact: true }).fill(university.nameZh);
    await page.getByLabel(t("institution:profile.nameEn"), { exact: true }).fill(university.nameEn);
    await page.getByLabel(t("institution:profile.city"), { exact: true }).fill(university.city);
    await page.getByRole("button", { name: t("institution:profile.save") }).click();
    await expect(errorOf(code)).toContainText(/letters, digits and hyphens/);
    await expect(code).toHaveAttribute("aria-invalid", "true");
    await visit(page, "story/institution-profile-refused");

    await code.fill(university.code);
    await page.getByRole("button", { name: t("institution:profile.save") }).click();
    await expect(errorOf(code)).toHaveCount(0);
    await expect(page.locator(".toasts")).toContainText(t("institution:profile.saved"));

    const course = page.getByRole("checkbox", { name: /Children's game activity design and organization/ });
    await course.check();
    await page.getByRole("button", { name: t("institution:profile.saveCourses") }).click();
    await expect(page.locator(".toasts")).toContainText(t("institution:profile.coursesSaved", { count: 1 }));
    await expect(course).toBeChecked();
    await visit(page, "story/institution-profile-set");
  });

  test("the teacher opens her account and adds her two certificates with their scans", async ({ browser }) => {
    learnerOf = await english(browser, "learner");
    const { page } = learnerOf;
    await page.getByRole("main").getByRole("link", { name: t("nav.signUp") }).click();
    await page.getByLabel(t("signUp.displayName"), { exact: true }).fill(teacher.name);
    await page.getByLabel(t("signUp.email"), { exact: true }).fill(teacher.email);
    await page.getByLabel(t("signUp.password"), { exact: true }).fill(teacher.password);
    await page.getByRole("button", { name: t("signUp.submit") }).click();
    await expect(page).toHaveURL(/\/learner$/);
    await visit(page, "story/learner-dashboard-new", teacher.name);
    await expect(page.getByTestId("balance-available")).toContainText("0.0");

    for (const [index, result] of [principalResult, teacherResult].entries()) {
      await go(learnerOf, t("learner:nav.addResult"));
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("learner:add.title"));
      if (index === 0) await visit(page, "story/learner-add-result");
      await page.getByLabel(t("learner:add.kind"), { exact: true }).selectOption({ label: t("learner:kind.QUALIFICATION_CERTIFICATE") });
      await page.getByLabel(t("learner:add.resultTitle"), { exact: true }).fill(result.title);
      await page.getByLabel(t("learner:add.issuer"), { exact: true }).fill(result.issuer);
      // the credential, found by searching the catalog (in Chinese for the first)
      await page.getByLabel(t("learner:add.credential"), { exact: true }).fill(result.search);
      const found = page.getByRole("group", { name: t("learner:add.credentialMatches") });
      await found.getByRole("radio", { name: new RegExp(result.credential) }).check();
      await expect(page.getByTestId("credential-chosen")).toContainText(result.credential);
      await page.getByLabel(t("learner:add.achievedOn"), { exact: true }).fill("2024-06-30");
      await page.getByLabel(t("learner:upload.choose"), { exact: true }).setInputFiles(path.join(FIXTURES, result.file));
      const uploads = page.getByRole("list", { name: t("learner:upload.chosen") });
      await expect(uploads).toContainText(result.file);
      await expect(uploads.getByTestId("upload-state")).toHaveText(t("learner:upload.done"));
      if (index === 0) await visit(page, "story/learner-add-result-filled");
      await page.getByRole("button", { name: t("learner:add.submit") }).click();

      // her result: submitted, its case due 15 working days later
      await expect(page.getByRole("heading", { level: 1 })).toHaveText(result.title);
      await expect(page.getByTestId("due-on")).toBeVisible({ timeout: 20_000 });
      await expect(page.getByRole("main")).toContainText(result.file);
      await visit(page, `story/learner-result-${index + 1}-submitted`);
    }

    await go(learnerOf, t("learner:nav.results"));
    for (const result of [principalResult, teacherResult]) {
      const item = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: result.title }) });
      await expect(item).toContainText(t("learner:status.SUBMITTED"));
      await expect(item).toContainText(pattern(t("learner:results.dueOn")));
    }
    await visit(page, "story/learner-results-pending", t("learner:results.title"));
    await go(learnerOf, t("learner:nav.dashboard"));
    await visit(page, "story/learner-dashboard-pending", teacher.name);
  });

  test("the reviewer claims each case, looks at the scan and approves it; she sees the news arrive", async ({ browser }) => {
    reviewerOf = await english(browser, "reviewer");
    const { page } = reviewerOf;
    await signIn(page, reviewer.email, reviewer.password);
    await expect(page).toHaveURL(/\/reviewer$/);
    await visit(page, "story/reviewer-queue", t("reviewer:nav.queue"));

    for (const [index, result] of [principalResult, teacherResult].entries()) {
      await page.goto("/reviewer");
      const claim = page.getByRole("button", { name: t("reviewer:claimCase", { title: result.title }) });
      await showUntil(page, claim, t("loadMore"));
      await claim.click();
      await expect(page.locator(".toasts")).toContainText(t("reviewer:claimed", { title: result.title }));
      await page.getByRole("link", { name: t("reviewer:openCase", { title: result.title }) }).click();
      await expect(page.getByRole("heading", { level: 1 })).toBeVisible();
      await expect(page.getByRole("main")).toContainText(result.title);
      await expect(page.getByRole("main")).toContainText(result.credential);

      // the evidence, shown in the page
      const evidence = page.getByRole("group", { name: t("reviewer:case.evidence") });
      const file = evidence.getByRole("button", { name: pattern(result.file) });
      await file.click();
      await expect(file).toHaveAttribute("aria-pressed", "true");
      if (result.file.endsWith(".pdf")) {
        // drawn in the page, its one page a canvas
        await expect(page.getByRole("img", { name: t("reviewer:case.pdfPage", { name: result.file, page: 1, pages: 1 }) })).toBeVisible();
      } else {
        const image = page.getByRole("img", { name: t("reviewer:case.imageAlt", { name: result.file }) });
        await expect(image).toBeVisible();
        await expect.poll(() => image.evaluate((img: HTMLImageElement) => img.naturalWidth)).toBeGreaterThan(0);
      }
      await visit(page, `story/reviewer-case-${index + 1}`);

      // approve, confirming the credential the scan proves
      await expect(page.getByRole("radio", { name: t("reviewer:decide.APPROVE") })).toBeChecked();
      await expect(page.getByLabel(t("reviewer:decide.code"), { exact: true })).toHaveValue(result.credential);
      await page.getByRole("button", { name: t("reviewer:decide.submit") }).click();
      await expect(page.getByRole("main")).toContainText(t("reviewer:case.decidedAs", { status: t("reviewer:status.APPROVED") }));
      await visit(page, `story/reviewer-case-${index + 1}-approved`);

      // the teacher's open page tells her at once
      await expect(learnerOf.page.locator(".toasts")).toContainText(t("consents:live.approved", { title: result.title }), { timeout: 10_000 });
    }
    await shot(learnerOf.page, "story/learner-toast");
    // her header counts the new messages as they arrive (no reload)
    await expect(learnerOf.page.getByTestId("inbox-link")).toHaveAccessibleName(new RegExp(`^${t("notifications:badge.label")}\\s*\\d+\\s*${t("notifications:badge.unread")}$`), { timeout: 15_000 });

    await go(reviewerOf, t("reviewer:nav.history"));
    await expect(page.getByRole("main")).toContainText(principalResult.title);
    await visit(page, "story/reviewer-history", t("reviewer:nav.history"));
  });

  test("she sees both results certified, her credits, the certificate and the transcript", async () => {
    const { page } = learnerOf;
    await go(learnerOf, t("learner:nav.results"));
    for (const result of [principalResult, teacherResult]) {
      const item = page.getByRole("listitem").filter({ has: page.getByRole("link", { name: result.title }) });
      await expect(item).toContainText(t("learner:status.CERTIFIED"));
    }
    await visit(page, "story/learner-results-certified", t("learner:results.title"));

    await page.getByRole("link", { name: principalResult.title }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(principalResult.title);
    const conversions = page.getByRole("region", { name: t("learner:detail.conversions") }).or(page.locator(".card", { hasText: t("learner:detail.conversions") }));
    await expect(conversions.first()).toContainText("Teaching and research work management");
    await expect(conversions.first()).toContainText("3.0");
    await visit(page, "story/learner-result-certified");

    await go(learnerOf, t("learner:nav.dashboard"));
    await expect(page.getByTestId("balance-available")).toContainText("5.5");
    await expect(page.getByTestId("balance-earned")).toContainText("5.5");
    await expect(page.getByRole("main")).toContainText("Certificate in Kindergarten Management and Play-based Teaching");
    await visit(page, "story/learner-dashboard-certified", teacher.name);

    await go(learnerOf, t("consents:nav.transcript"));
    const main = page.getByRole("main");
    await expect(main).toContainText("Teaching and research work management");
    await expect(main).toContainText("Children's game activity design and organization");
    await expect(main).toContainText("2.5");
    await expect(main).toContainText("Certificate in Kindergarten Management and Play-based Teaching");
    await visit(page, "story/learner-transcript");
  });

  test("she reads her messages: each result certified, linking to it; she marks them read", async () => {
    const { page } = learnerOf;
    await go(learnerOf, t("notifications:nav.inbox"));
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("notifications:inbox.title"));
    const certified = page.getByTestId("message").filter({ has: page.getByRole("heading", { name: "Result certified", exact: true }) });
    await expect(certified).toHaveCount(2, { timeout: 15_000 });
    for (const result of [principalResult, teacherResult]) {
      const item = certified.filter({ hasText: result.title });
      await expect(item).toContainText(t("notifications:kind.CERTIFIED"));
      await expect(item).toContainText(t("notifications:inbox.unread"));
    }
    // her credits and certificate are told too
    await expect(page.getByTestId("message").filter({ hasText: t("notifications:kind.CERTIFICATE_AWARDED") })).toHaveCount(1, { timeout: 15_000 });
    await visit(page, "story/learner-inbox", t("notifications:inbox.title"));

    // a message leads to what it is about
    await certified.filter({ hasText: principalResult.title }).getByRole("link", { name: "Result certified", exact: true }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(principalResult.title);
    await go(learnerOf, t("notifications:nav.inbox"));

    // one read, then all
    const first = certified.filter({ hasText: principalResult.title });
    await first.getByRole("button", { name: t("notifications:inbox.markReadOf", { title: "Result certified" }) }).click();
    await expect(first).not.toContainText(t("notifications:inbox.unread"));
    await expect(first).toContainText(pattern(t("notifications:inbox.read")));
    await page.getByRole("checkbox", { name: t("notifications:inbox.unreadOnly") }).check();
    await expect(page.getByTestId("message").filter({ hasText: principalResult.title })).toHaveCount(0);
    await expect(page.getByTestId("message").filter({ hasText: teacherResult.title })).toHaveCount(1);
    await page.getByRole("button", { name: t("notifications:inbox.markAll") }).click();
    await expect(page.locator(".toasts")).toContainText(pattern(t("notifications:inbox.markedAll", { count: "{{count}}" })));
    await expect(page.getByRole("main")).toContainText(t("notifications:inbox.noneUnread"));
    await expect(page.getByTestId("inbox-link")).toHaveAccessibleName(t("notifications:badge.label"));
    await visit(page, "story/learner-inbox-read");

    // her preferences: the address is her account's
    await page.getByRole("link", { name: t("notifications:inbox.preferences") }).click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("notifications:prefs.title"));
    await page.getByRole("checkbox", { name: t("notifications:prefs.byEmail") }).check();
    await expect(page.getByLabel(t("notifications:prefs.email"), { exact: true })).toHaveValue(teacher.email);
    await page.getByRole("checkbox", { name: t("notifications:kind.CERTIFIED"), exact: true }).check();
    await page.getByRole("button", { name: t("notifications:prefs.save") }).click();
    await expect(page.locator(".toasts")).toContainText(t("notifications:prefs.saved"));
    await visit(page, "story/learner-preferences");
  });

  test("she downloads her certificate and transcript as signed credentials; signed out, anyone verifies them at /verify, and a changed one is not verified", async ({ browser, request }) => {
    const { page } = learnerOf;
    await go(learnerOf, t("learner:nav.dashboard"));
    const badge = await downloaded(learnerOf, t("credentials:certificate.downloadFor", { name: CERTIFICATE }));
    expect(badge.name).toMatch(/^certificate-[\w-]+\.json$/);
    expect(badge.json.type).toEqual(["VerifiableCredential", "OpenBadgeCredential"]);
    await expect(page.getByRole("main")).toContainText(t("credentials:saved", { name: badge.name }));

    // the share link: the same document, for anyone (no sign-in)
    await page.getByRole("button", { name: t("credentials:certificate.shareFor", { name: CERTIFICATE }), exact: true }).click();
    const link = page.getByLabel(t("credentials:certificate.shareLink", { name: CERTIFICATE }), { exact: true });
    await expect(link).toHaveValue(/\/credentials\/[\w-]+$/);
    const shared = await request.get(await link.inputValue());
    expect(shared.ok()).toBe(true);
    expect(await shared.json()).toEqual(badge.json);
    await visit(page, "story/learner-dashboard-credential", teacher.name);

    await go(learnerOf, t("consents:nav.transcript"));
    await expect(page.getByRole("main")).toContainText(CERTIFICATE);
    const clr = await downloaded(learnerOf, t("credentials:transcript.download"));
    expect(clr.name).toMatch(/^transcript-\d{4}-\d{2}-\d{2}\.json$/);
    expect(clr.json.type).toEqual(["VerifiableCredential", "ClrCredential"]);
    await visit(page, "story/learner-transcript-credential");

    // someone signed out, in Chinese, finds the page from the sign-in page
    const stranger = await person(browser, "verifier");
    const v = stranger.page;
    await v.goto("/sign-in");
    await v.getByRole("main").getByRole("link", { name: zh("credentials:verify.nav"), exact: true }).click();
    await expect(v).toHaveURL(/\/verify$/);
    await visit(v, "story/verify-zh", zh("credentials:verify.title"));
    const verdict = v.getByTestId("verdict");
    await v.getByLabel(zh("credentials:verify.choose"), { exact: true }).setInputFiles(badge.file);
    await expect(v.getByText(zh("credentials:verify.loaded", { name: badge.name }))).toBeVisible();
    await v.getByRole("button", { name: zh("credentials:verify.submit"), exact: true }).click();
    await expect(verdict.getByRole("heading", { level: 2 })).toHaveText(`✓ ${zh("credentials:verify.verified")}`);
    await expect(verdict.getByRole("status")).toContainText(zh("credentials:verify.verified"));
    await expect(v.getByTestId("verdict-bank")).toHaveText(zh("credentials:verify.yes"));
    await expect(v.getByTestId("verdict-status")).toHaveText(zh("credentials:verify.statusOf.ACTIVE"));
    await expect(v.getByTestId("verdict-did")).toHaveText(/^did:web:/);
    await expect(v.getByTestId("verdict-proof")).toHaveText(zh("credentials:verify.proofValid"));
    await visit(v, "story/verify-certificate-verified-zh");

    // in English the verdict is asked again
    await speak(v, "en");
    await expect(verdict.getByRole("heading", { level: 2 })).toHaveText(`✓ ${t("credentials:verify.verified")}`);
    await expect(verdict).toContainText("OpenBadgeCredential");

    // the transcript, verified too
    await v.getByLabel(t("credentials:verify.choose"), { exact: true }).setInputFiles(clr.file);
    await expect(v.getByText(t("credentials:verify.loaded", { name: clr.name }))).toBeVisible();
    await v.getByRole("button", { name: t("credentials:verify.submit"), exact: true }).click();
    await expect(verdict).toContainText("ClrCredential");
    await expect(verdict.getByRole("heading", { level: 2 })).toHaveText(`✓ ${t("credentials:verify.verified")}`);
    await visit(v, "story/verify-transcript-verified-en");

    // one character of the subject changed: not verified, and why
    const subject = badge.json.credentialSubject as { achievement: { name: string } };
    const name = subject.achievement.name;
    subject.achievement.name = `${name[0] === "X" ? "Y" : "X"}${name.slice(1)}`;
    await v.getByLabel(t("credentials:verify.paste"), { exact: true }).fill(JSON.stringify(badge.json, null, 2));
    await v.getByRole("button", { name: t("credentials:verify.submit"), exact: true }).click();
    await expect(verdict.getByRole("heading", { level: 2 })).toHaveText(`✗ ${t("credentials:verify.notVerified")}`);
    await expect(v.getByTestId("verdict-proof")).toHaveText(t("credentials:verify.proofInvalid"));
    await expect(v.getByTestId("verdict-reasons").getByRole("listitem").first()).toBeVisible();
    await visit(v, "story/verify-changed-not-verified-en");

    // text that is not JSON never leaves the page
    const field = v.getByLabel(t("credentials:verify.paste"), { exact: true });
    await field.fill('{"type": ["VerifiableCredential"');
    await v.getByRole("button", { name: t("credentials:verify.submit"), exact: true }).click();
    await expect(errorOf(field)).toContainText(pattern(t("credentials:verify.notJson")));
    await expect(field).toHaveAttribute("aria-invalid", "true");
    await visit(v, "story/verify-not-json-en");
    await stranger.context.close();
  });

  test("the university registers a webhook endpoint and keeps its secret", async () => {
    const { page } = institutionOf;
    const url = await startReceiver();
    await go(institutionOf, t("notifications:nav.webhooks"));
    await expect(page.getByText(t("notifications:webhooks.none"))).toBeVisible();
    await visit(page, "story/institution-webhooks-none", t("notifications:webhooks.title"));
    const form = page.getByRole("form", { name: t("notifications:webhooks.register") });
    await form.getByLabel(t("notifications:webhooks.url"), { exact: true }).fill(url);
    await expect(form.getByRole("checkbox", { name: t("notifications:webhooks.types.CREDITS_REDEEMED") })).toBeChecked();
    await form.getByRole("button", { name: t("notifications:webhooks.submit") }).click();
    const secret = page.getByLabel(t("notifications:webhooks.secretLabel"), { exact: true });
    await expect(secret).toHaveValue(/^whsec_/);
    webhookSecret = await secret.inputValue();
    await visit(page, "story/institution-webhook-secret");
    await page.getByRole("button", { name: t("notifications:webhooks.done") }).click();
    await expect(secret).toHaveCount(0);
    const row = page.getByTestId("webhook-endpoint").filter({ hasText: url });
    await expect(row).toContainText(t("notifications:webhooks.enabled"));
    await visit(page, "story/institution-webhooks");
  });

  test("she finds the university in the directory and lets it read her account", async () => {
    const { page } = learnerOf;
    await go(learnerOf, t("consents:nav.directory"));
    await visit(page, "story/learner-directory", t("consents:directory.title"));
    const search = page.getByRole("search");
    await search.getByLabel(t("consents:directory.search"), { exact: true }).fill(university.code);
    await search.getByRole("button", { name: t("search") }).click();
    await expect(page.getByRole("main")).toContainText(t("total", { count: 1 }));
    const row = page.getByRole("listitem").filter({ has: page.getByRole("heading", { name: university.nameEn }) });
    await expect(row).toBeVisible();
    await expect(row).toContainText(university.nameZh);
    await row.getByRole("button", { name: t("consents:directory.grantFor", { name: university.nameEn }) }).click();
    const form = page.getByRole("form", { name: t("consents:directory.grantFor", { name: university.nameEn }) });
    await expect(form.getByLabel(t("consents:directory.expiresOn"), { exact: true })).not.toHaveValue("");
    await visit(page, "story/learner-directory-grant");
    await form.getByRole("button", { name: t("consents:directory.grant") }).click();
    await expect(row.getByRole("status")).toContainText(pattern(t("consents:directory.granted", { name: university.nameEn })));
    await visit(page, "story/learner-directory-granted");

    await go(learnerOf, t("consents:nav.consents"));
    await expect(page.getByRole("main")).toContainText(university.nameEn);
    await visit(page, "story/learner-consents", t("consents:consents.title"));
  });

  test("the university reads her transcript and redeems a course; a second redemption is refused, saying why", async () => {
    const { page } = institutionOf;
    await go(institutionOf, t("institution:nav.learners"));
    const link = page.getByRole("link", { name: teacher.name, exact: true });
    await expect(link).toBeVisible();
    await visit(page, "story/institution-learners", t("institution:nav.learners"));
    await link.click();
    await expect(page.getByRole("heading", { level: 1 })).toHaveText(t("institution:transcript.title", { name: teacher.name }));
    await expect(page.getByTestId("balance-available")).toContainText("5.5");
    await visit(page, "story/institution-transcript");

    // her transcript as a signed CLR 2.0 credential, under her consent
    const clr = await downloaded(institutionOf, t("credentials:transcript.download"));
    expect(clr.name).toMatch(/^transcript-\d{4}-\d{2}-\d{2}\.json$/);
    expect(clr.json.type).toEqual(["VerifiableCredential", "ClrCredential"]);

    const course = page.getByTestId(`redeem-${REDEEMED_COURSE}`);
    const name = "Children's game activity design and organization";
    await course.getByRole("button", { name: t("institution:redeem.buttonFor", { course: name }) }).click();
    const question = course.getByRole("group", { name: t("institution:redeem.confirm", { credits: "2.5", course: name, name: teacher.name }) });
    await expect(question).toBeVisible();
    await visit(page, "story/institution-redeem-confirm");
    await question.getByRole("button", { name: t("institution:redeem.confirmButton"), exact: true }).click();
    await expect(course.getByRole("status")).toContainText(pattern(t("institution:redeem.done", { credits: "2.5", course: name })));
    await expect(page.getByTestId("balance-available")).toContainText("3.0");
    await visit(page, "story/institution-redeemed");

    // again: the API refuses, and the reason is shown next to the course
    await course.getByRole("button", { name: t("institution:redeem.buttonFor", { course: name }) }).click();
    await course.getByRole("group").getByRole("button", { name: t("institution:redeem.confirmButton"), exact: true }).click();
    const refusal = course.getByRole("alert");
    await expect(refusal).toBeVisible();
    await expect(refusal).toContainText(/already redeemed/);
    await visit(page, "story/institution-redeem-refused");

    await go(institutionOf, t("institution:nav.redemptions"));
    await expect(page.getByRole("main")).toContainText(teacher.name);
    await visit(page, "story/institution-redemptions", t("institution:nav.redemptions"));
    await go(institutionOf, t("institution:nav.feed"));
    await visit(page, "story/institution-feed", t("institution:nav.feed"));
  });

  test("the university's endpoint gets her consent and the redemption, signed; its delivery log shows each attempt, and a replay sends them again", async () => {
    const { page } = institutionOf;
    await expect.poll(() => received.map((r) => r.type).sort(), { timeout: 30_000 }).toEqual(expect.arrayContaining(["consent.granted", "credits.redeemed"]));
    for (const delivery of received) expect(signed(webhookSecret, delivery), `signature of ${delivery.type}`).toBe(true);

    await go(institutionOf, t("notifications:nav.webhooks"));
    const row = page.getByTestId("webhook-endpoint");
    await row.getByRole("button", { name: t("notifications:webhooks.log") }).click();
    const log = row.getByRole("table");
    const redeemed = log.getByTestId("webhook-delivery").filter({ hasText: t("notifications:webhooks.types.CREDITS_REDEEMED") });
    await expect(redeemed).toContainText(t("notifications:webhooks.state.SUCCEEDED"));
    await expect(redeemed).toContainText("204");
    await expect(redeemed).toContainText(received.find((r) => r.type === "credits.redeemed")?.id ?? "(none)");
    await expect(log.getByTestId("webhook-delivery").filter({ hasText: t("notifications:webhooks.types.CONSENT_GRANTED") })).toContainText(t("notifications:webhooks.state.SUCCEEDED"));
    await visit(page, "story/institution-webhook-log");

    const before = received.length;
    await row.getByRole("button", { name: t("notifications:webhooks.replay"), exact: true }).click();
    await expect(page.locator(".toasts")).toContainText(pattern(t("notifications:webhooks.replayed", { count: "{{count}}" })));
    await expect.poll(() => received.length, { timeout: 30_000 }).toBeGreaterThanOrEqual(before + 2);
    // the same webhook-id as before: the receiver can tell it already has it
    const redemptions = received.filter((r) => r.type === "credits.redeemed").map((r) => r.id);
    expect(new Set(redemptions).size).toBe(1);
    expect(redemptions.length).toBeGreaterThanOrEqual(2);
  });

  test("the admin looks at the figures and the catalog's history", async () => {
    const { page } = adminOf;
    await go(adminOf, t("admin:nav.stats"));
    await expect(page.locator(".recharts-surface").first()).toBeVisible();
    await visit(page, "story/admin-figures", t("admin:nav.stats"));
    await go(adminOf, t("admin:nav.catalog"));
    await visit(page, "story/admin-catalog", t("admin:nav.catalog"));
    await go(adminOf, t("admin:nav.history"));
    await expect(page.getByRole("main")).toContainText(/CN-KINDERGARTEN-PRINCIPAL|Kindergarten principal/);
    await visit(page, "story/admin-catalog-history", t("admin:nav.history"));
    await go(adminOf, t("admin:nav.accounts"));
    await visit(page, "story/admin-accounts", t("admin:nav.accounts"));
  });

  test("she revokes the consent and the university no longer sees her", async () => {
    const { page } = learnerOf;
    await go(learnerOf, t("consents:nav.consents"));
    await page.getByRole("button", { name: t("consents:consents.revokeFor", { name: university.nameEn }) }).click();
    const confirm = page.getByRole("group", { name: t("consents:consents.confirmLabel", { name: university.nameEn }) });
    await visit(page, "story/learner-consent-revoke-confirm");
    await confirm.getByRole("button", { name: t("consents:consents.revokeNow") }).click();
    await expect(page.getByRole("button", { name: t("consents:consents.revokeFor", { name: university.nameEn }) })).toHaveCount(0);
    await visit(page, "story/learner-consent-revoked");

    const uni = institutionOf.page;
    await go(institutionOf, t("institution:nav.learners"));
    await expect(uni.getByRole("heading", { level: 1 })).toHaveText(t("institution:nav.learners"));
    await uni.reload();
    await expect(uni.getByRole("main").getByRole("status").filter({ hasText: /^(Loading…)$/ })).toHaveCount(0);
    await expect(uni.getByRole("link", { name: teacher.name, exact: true })).toHaveCount(0);
    await visit(institutionOf.page, "story/institution-learners-after-revoke");
  });

  test("each of them switches to Chinese: the same pages, and the catalog's names, in Chinese", async () => {
    /** Follow a link of the header's navigation, now in Chinese; check and save the page. */
    const visitZh = async (someone: Person, label: string, name: string) => {
      await someone.page.getByRole("navigation", { name: zh("nav.main") }).getByRole("link", { name: label, exact: true }).click();
      await visit(someone.page, `story-zh/${name}`, label === zh("learner:nav.dashboard") ? teacher.name : undefined);
    };
    for (const someone of [learnerOf, reviewerOf, institutionOf, adminOf]) await speak(someone.page, "zh-CN");

    await visitZh(learnerOf, zh("learner:nav.dashboard"), "learner-dashboard");
    await visitZh(learnerOf, zh("learner:nav.results"), "learner-results");
    await expect(learnerOf.page.getByRole("main")).toContainText(zh("learner:status.CERTIFIED"));
    await visitZh(learnerOf, zh("consents:nav.transcript"), "learner-transcript");
    await expect(learnerOf.page.getByRole("main")).toContainText("教研工作管理");
    await visitZh(learnerOf, zh("consents:nav.consents"), "learner-consents");
    await visitZh(learnerOf, zh("notifications:nav.inbox"), "learner-inbox");
    const certifiedZh = learnerOf.page.getByTestId("message").filter({ has: learnerOf.page.getByRole("heading", { name: "学习成果已认证", exact: true }) });
    await expect(certifiedZh).toHaveCount(2);
    await expect(certifiedZh.first()).toContainText(zh("notifications:kind.CERTIFIED"));

    await visitZh(reviewerOf, zh("reviewer:nav.queue"), "reviewer-queue");
    await visitZh(reviewerOf, zh("reviewer:nav.history"), "reviewer-history");
    await expect(reviewerOf.page.getByRole("main")).toContainText(principalResult.title);

    await visitZh(institutionOf, zh("institution:nav.redemptions"), "institution-redemptions");
    // her name is no longer theirs to read (the consent is revoked); the course, in Chinese
    await expect(institutionOf.page.getByRole("main")).toContainText("幼儿游戏活动设计与组织");
    await expect(institutionOf.page.getByRole("main")).not.toContainText(teacher.name);
    await visitZh(institutionOf, zh("institution:nav.profile"), "institution-profile");
    await expect(institutionOf.page.getByRole("checkbox", { name: /PE-CGADO/ })).toBeChecked();
    await visitZh(institutionOf, zh("institution:nav.feed"), "institution-feed");
    await visitZh(institutionOf, zh("notifications:nav.webhooks"), "institution-webhooks");
    await visitZh(institutionOf, zh("notifications:nav.inbox"), "institution-inbox");
    await expect(institutionOf.page.getByRole("main")).toContainText(zh("notifications:kind.CONSENT_GRANTED"));

    await visitZh(adminOf, zh("admin:nav.stats"), "admin-figures");
    await expect(adminOf.page.locator(".recharts-surface").first()).toBeVisible();
    await visitZh(adminOf, zh("admin:nav.catalog"), "admin-catalog");
    await visitZh(adminOf, zh("admin:nav.history"), "admin-catalog-history");
    await visitZh(adminOf, zh("admin:nav.staff"), "admin-staff");
  });
});
