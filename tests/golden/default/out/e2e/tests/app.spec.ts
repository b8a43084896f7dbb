import { expect, test } from "@playwright/test";

// Screenshots of the app as the tests leave it, for CI to keep.
const screenshots = process.env.SCREENSHOT_DIR ?? "screenshots";

test("an item added in the app is stored, and listed again from the database", async ({
  page,
}) => {
  const name = `Item from the browser ${Date.now()}`;
  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toHaveText("Demo");

  await page.getByLabel("New item").fill(name);
  await page.getByRole("button", { name: "Add" }).click();
  const items = page.getByRole("list", { name: "items" });
  await expect(items.getByText(name, { exact: true })).toBeVisible();

  // A fresh page reads it back through the API from the database.
  await page.reload();
  await expect(items.getByText(name, { exact: true })).toBeVisible();
  await page.screenshot({ path: `${screenshots}/items.png`, fullPage: true });
});

test("the example task runs on a Celery worker and the app shows its result", async ({
  page,
}) => {
  await page.goto("/");
  await page.getByLabel("Text").fill("the quick brown fox");
  await page.getByRole("button", { name: "Count words" }).click();
  await expect(page.getByRole("status")).toHaveText("The worker counted 4 words.");
  await page.screenshot({ path: `${screenshots}/task.png`, fullPage: true });
});
