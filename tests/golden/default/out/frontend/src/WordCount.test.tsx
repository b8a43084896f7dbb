import { screen } from "@testing-library/react";
import userEvent from "@testing-library/user-event";
import { expect, test } from "vitest";

import { renderWithApi } from "./testing";
import { WordCount } from "./WordCount";

test("shows the word count the task returned", async () => {
  const sent = renderWithApi(<WordCount />, () => ({
    countWords: { __typename: "CountWords", words: 3 },
  }));

  await userEvent.type(screen.getByLabelText("Text"), "one two three");
  await userEvent.click(screen.getByRole("button", { name: "Count words" }));

  expect((await screen.findByRole("status")).textContent).toBe("The worker counted 3 words.");
  expect(sent[0].variables).toEqual({ text: "one two three" });
});
