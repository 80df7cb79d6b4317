// The portal's frame, anonymous and signed in: Chinese by default and English on demand
// (remembered), the API's refusals next to the field they name in the chosen language,
// signing up, out and in, the not-found page, and the connection banner that comes and
// goes by itself.
import { EN, ZH, errorOf, expect, signIn, speak, test, unique, visit } from "./support";

test("home in Chinese by default, English on demand, remembered after a reload", async ({ page }) => {
  await page.goto("/");
  await expect(page.locator("html")).toHaveAttribute("lang", "zh-CN");
  await visit(page, "portal/home-zh", "终身学习，皆可计量");
  await speak(page, "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lifelong learning, counted");
  await page.reload();
  await expect(page.locator("html")).toHaveAttribute("lang", "en");
  await visit(page, "portal/home-en", "Lifelong learning, counted");
  await page.getByRole("main").getByRole("link", { name: "Sign in" }).click();
  await visit(page, "portal/sign-in-en", "Sign in");
});

test("sign-up refusals next to their field in the chosen language; sign up, out and in", async ({ page }) => {
  const email = `${unique("portal")}@example.com`;
  const password = "a-long-enough-password";
  await page.goto("/sign-up");
  await speak(page, "en");
  await visit(page, "portal/sign-up-en", "Open an account");

  await page.getByLabel("Your name", { exact: true }).fill("Wang Fang");
  await page.getByLabel("Email", { exact: true }).fill(email);
  const passwordField = page.getByLabel("Password", { exact: true });
  await passwordField.fill("short");
  await page.getByRole("button", { name: "Open my account" }).click();
  const message = errorOf(passwordField);
  await expect(message).toHaveText(/at least 10 characters/);
  await expect(passwordField).toHaveAttribute("aria-invalid", "true");
  await expect(passwordField).toHaveAccessibleDescription(/at least 10 characters/);
  await expect(page).toHaveURL(/\/sign-up$/);
  await visit(page, "portal/sign-up-refused-en");

  // the same refusal, asked again in Chinese, comes in Chinese
  await speak(page, "zh-CN");
  const passwordZh = page.getByLabel("密码", { exact: true });
  await passwordZh.fill("short");
  await page.getByRole("button", { name: "开立我的账户" }).click();
  await expect(errorOf(passwordZh)).toHaveText(/至少需要 10 个字符/);
  await visit(page, "portal/sign-up-refused-zh", "开户");

  await passwordZh.fill(password);
  await page.getByRole("button", { name: "开立我的账户" }).click();
  await expect(page).toHaveURL(/\/learner$/);
  await expect(page.getByRole("banner")).toContainText("Wang Fang");

  await page.getByRole("button", { name: ZH.signOut }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  await expect(page.getByRole("banner")).not.toContainText("Wang Fang");

  // a wrong password is refused where the user looks; the right one lets her in
  await page.getByLabel(ZH.email, { exact: true }).fill(email);
  await page.getByLabel(ZH.password, { exact: true }).fill("not-her-password");
  await page.getByRole("main").getByRole("button", { name: ZH.signIn, exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert").first()).toBeVisible();
  await expect(page).toHaveURL(/\/sign-in/);
  await visit(page, "portal/sign-in-refused-zh", "登录");

  await signIn(page, email, password, ZH);
  await expect(page).toHaveURL(/\/learner$/);
  await expect(page.getByRole("banner")).toContainText("Wang Fang");

  // a signed-in session survives a reload (the refresh cookie)
  await page.reload();
  await expect(page.getByRole("banner")).toContainText("Wang Fang");
  await page.getByRole("button", { name: ZH.signOut }).click();
  await expect(page).toHaveURL(/\/sign-in/);
  void EN;
});

test("an unknown path shows the not-found page, in both languages", async ({ page }) => {
  await page.goto("/no/such/page");
  await visit(page, "portal/not-found-zh", "页面不存在");
  await speak(page, "en");
  await visit(page, "portal/not-found-en", "Page not found");
  await page.getByRole("link", { name: "Back to the start" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Lifelong learning, counted");
});

test("a lost connection shows a banner that goes by itself once the gateway answers", async ({ page, context }) => {
  await page.goto("/sign-in");
  await speak(page, "en");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Sign in");
  const banner = page.getByTestId("connection-lost");
  await expect(banner).toHaveCount(0);

  await context.setOffline(true);
  // a request the user makes while away
  await page.getByLabel("Email", { exact: true }).fill("someone@example.com");
  await page.getByLabel("Password", { exact: true }).fill("a-long-enough-password");
  await page.getByRole("main").getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(banner).toBeVisible();
  await expect(banner).toHaveText(/connection to the credit bank is lost/);
  await visit(page, "portal/connection-lost-en");

  await context.setOffline(false);
  await expect(banner).toBeHidden({ timeout: 20_000 });
  // and the page works again: the same request now gets the API's answer
  await page.getByRole("main").getByRole("button", { name: "Sign in", exact: true }).click();
  await expect(page.getByRole("main").getByRole("alert").first()).toBeVisible();
  await expect(banner).toHaveCount(0);
});
