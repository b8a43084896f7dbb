import { type FormEvent, useState } from "react";
import { gql, useMutation } from "urql";

export const COUNT_WORDS = gql`
  mutation CountWords($text: String!) {
    countWords(text: $text) {
      words
    }
  }
`;

/** Runs the backend's example Celery task (count_words) on a worker and
 * shows its result. */
export function WordCount() {
  const [text, setText] = useState("");
  const [{ data, fetching, error }, countWords] = useMutation<{ countWords: { words: number } }>(
    COUNT_WORDS,
  );

  function submit(event: FormEvent) {
    event.preventDefault();
    void countWords({ text });
  }

  return (
    <section aria-labelledby="task-heading">
      <h2 id="task-heading">Background task</h2>
      <form onSubmit={submit}>
        <label htmlFor="task-text">Text</label>
        <input id="task-text" value={text} onChange={(event) => setText(event.target.value)} />
        <button type="submit" disabled={fetching}>
          Count words
        </button>
      </form>
      {fetching && <p>Waiting for the worker…</p>}
      {error && <p role="alert">The task failed: {error.message}</p>}
      {data && !fetching && (
        <p role="status">The worker counted {data.countWords.words} words.</p>
      )}
    </section>
  );
}
