import { screen, within } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test } from "vitest";

import { type Item, Items } from "./Items";
import { renderWithApi } from "./testing";

test("lists the items from the API", async () => {
  renderWithApi(<Items />, () => ({
    items: [
      { __typename: "ItemType", id: "1", name: "First", created: "2026-01-01T00:00:00Z" },
      { __typename: "ItemType", id: "2", name: "Second", created: "2026-01-02T00:00:00Z" },
    ],
  }));
  const list = await screen.findByRole("list", { name: "items" });
  expect(within(list).getAllByRole("listitem").map((li) => li.textContent)).toEqual([
    "First",
    "Second",
  ]);
});

test("adds an item with the createItem mutation, then shows it", async () => {
  const items: Item[] = [];
  const sent = renderWithApi(<Items />, ({ operationName, variables }) => {
    if (operationName === "CreateItem") {
      const item = { id: String(items.length + 1), name: String(variables.name), created: "" };
      items.push(item);
      return { createItem: { __typename: "CreateItem", item: { __typename: "ItemType", ...item } } };
    }
    return { items: items.map((item) => ({ __typename: "ItemType", ...item })) };
  });
  expect(await screen.findByText("No items yet.")).toBeDefined();

  await userEvent.type(screen.getByLabelText("New item"), "  Milk ");
  await userEvent.click(screen.getByRole("button", { name: "Add" }));

  const list = await screen.findByRole("list", { name: "items" });
  expect(within(list).getByText("Milk")).toBeDefined();
  expect(sent.find((op) => op.operationName === "CreateItem")?.variables).toEqual({ name: "Milk" });
  expect(screen.getByLabelText<HTMLInputElement>("New item").value).toBe("");
});
