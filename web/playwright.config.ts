// The portal's end-to-end tests (web/e2e/*.spec.ts) in Chromium against a running
// gateway that serves the build: CB_PORTAL_URL (tests/e2e/test_portal.py starts a system
// and sets it; by hand: `make run`, then
// CB_PORTAL_URL=http://127.0.0.1:4000 CB_ADMIN_EMAIL=… CB_ADMIN_PASSWORD=… npx playwright test).
// The system's Chromium is used as it is: never `npx playwright install`.
import { defineConfig } from "@playwright/test";

export default defineConfig({
  testDir: "e2e",
  // one worker: the story is told in order, each step on what the last one left
  workers: 1,
  fullyParallel: false,
  timeout: 180_000,
  expect: { timeout: 30_000 },
  forbidOnly: true,
  retries: 0,
  outputDir: "test-results",
  reporter: [["list"], ["json", { outputFile: process.env.CB_E2E_REPORT ?? "test-results/report.json" }]],
  use: {
    baseURL: process.env.CB_PORTAL_URL ?? "http://127.0.0.1:4000",
    locale: "zh-CN",
    timezoneId: "Asia/Shanghai",
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
    actionTimeout: 30_000,
    navigationTimeout: 30_000,
    launchOptions: {
      executablePath: "/usr/bin/chromium",
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    },
  },
});
