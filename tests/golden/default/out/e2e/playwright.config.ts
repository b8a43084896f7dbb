import { defineConfig, devices } from "@playwright/test";

// The app under test: the running stack (`make up` serves it on
// http://localhost), or the frontend's dev server. BASE_URL overrides it.
const baseURL = process.env.BASE_URL ?? "http://localhost:5173";

// A Chromium of the machine's own (e.g. Debian's /usr/bin/chromium) instead of
// the one `npx playwright install chromium` downloads: CHROMIUM_EXECUTABLE.
const chromiumExecutable = process.env.CHROMIUM_EXECUTABLE;
const chromiumLaunch = chromiumExecutable
  ? {
      executablePath: chromiumExecutable,
      args: [
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
      ],
    }
  : {};

export default defineConfig({
  testDir: "tests",
  timeout: 60_000,
  // Answers come through the database and a Celery worker: allow them time.
  expect: { timeout: 15_000 },
  forbidOnly: !!process.env.CI,
  retries: process.env.CI ? 1 : 0,
  workers: 1,
  reporter: [["list"], ["html", { open: "never" }]],
  use: {
    baseURL,
    headless: true,
    screenshot: "only-on-failure",
    trace: "retain-on-failure",
  },
  projects: [
    { name: "chromium", use: { ...devices["Desktop Chrome"], launchOptions: chromiumLaunch } },
  ],
});
