import { render, screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test, vi } from "vitest";

import { type Item, Items } from "./ItemsRest";

/** Answers fetch like the backend's /api/items/, from `items`; returns the
 * requests sent. */
function fakeApi(items: Item[]) {
  const sent: { method: string; url: string; body?: unknown }[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (url: string, init?: RequestInit) => {
      const method = init?.method ?? "GET";
      const body = init?.body ? JSON.parse(String(init.body)) : undefined;
      sent.push({ method, url, body });
      if (method === "POST") {
        const item = { id: items.length + 1, name: body.name, created: "" };
        items.push(item);
        return Response.json(item, { status: 201 });
      }
      return Response.json({ count: items.length, next: null, results: items });
    }),
  );
  return sent;
}

test("lists the items from the API", async () => {
  fakeApi([
    { id: 1, name: "First", created: "" },
    { id: 2, name: "Second", created: "" },
  ]);
  render(<Items />);
  const list = await screen.findByRole("list", { name: "items" });
  expect(within(list).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
    "First",
    "Second",
  ]);
});

test("adds an item with a POST, then shows it", async () => {
  const sent = fakeApi([]);
  render(<Items />);
  expect(await screen.findByText("No items yet.")).toBeDefined();

  await userEvent.type(screen.getByLabelText("New item"), "  Milk ");
  await userEvent.click(screen.getByRole("button", { name: "Add" }));

  const list = await screen.findByRole("list", { name: "items" });
  expect(within(list).getByText("Milk")).toBeDefined();
  expect(sent.find((request) => request.method === "POST")).toEqual({
    method: "POST",
    url: "/api/items/",
    body: { name: "Milk" },
  });
});
