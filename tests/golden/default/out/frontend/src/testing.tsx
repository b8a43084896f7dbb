import { render } from "@testing-library/react";
import type { ReactElement } from "react";
import { Provider } from "urql";
import { vi } from "vitest";

import { makeClient } from "./client";

type Operation = { operationName?: string; query: string; variables: Record<string, unknown> };

/** Renders `ui` with a real GraphQL client whose fetch is answered by
 * `answer`, per operation; returns the operations sent, in order. */
export function renderWithApi(ui: ReactElement, answer: (operation: Operation) => unknown) {
  const sent: Operation[] = [];
  vi.stubGlobal(
    "fetch",
    vi.fn(async (_url: string, init: RequestInit) => {
      const operation = JSON.parse(String(init.body)) as Operation;
      sent.push(operation);
      return new Response(JSON.stringify({ data: answer(operation) }), {
        headers: { "Content-Type": "application/json" },
      });
    }),
  );
  render(<Provider value={makeClient("http://test/graphql/")}>{ui}</Provider>);
  return sent;
}
