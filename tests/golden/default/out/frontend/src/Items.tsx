import { type FormEvent, useState } from "react";
import { gql, useMutation, useQuery } from "urql";

export type Item = { id: string; name: string; created: string };

export const ITEMS = gql`
  query Items {
    items {
      id
      name
      created
    }
  }
`;

export const CREATE_ITEM = gql`
  mutation CreateItem($name: String!) {
    createItem(name: $name) {
      item {
        id
        name
      }
    }
  }
`;

/** The example items, from the backend's database over GraphQL, and a form
 * that creates one with a mutation. */
export function Items() {
  const [{ data, fetching, error }, refetch] = useQuery<{ items: Item[] }>({ query: ITEMS });
  const [creation, createItem] = useMutation(CREATE_ITEM);
  const [name, setName] = useState("");

  async function submit(event: FormEvent) {
    event.preventDefault();
    const result = await createItem({ name: name.trim() });
    if (!result.error) {
      setName("");
      refetch({ requestPolicy: "network-only" });
    }
  }

  return (
    <section aria-labelledby="items-heading">
      <h2 id="items-heading">Items</h2>
      <form onSubmit={submit}>
        <label htmlFor="item-name">New item</label>
        <input
          id="item-name"
          value={name}
          maxLength={200}
          onChange={(event) => setName(event.target.value)}
        />
        <button type="submit" disabled={creation.fetching || name.trim() === ""}>
          Add
        </button>
      </form>
      {creation.error && <p role="alert">Could not add the item: {creation.error.message}</p>}
      {error && <p role="alert">Could not load the items: {error.message}</p>}
      {fetching && !data && <p>Loading…</p>}
      {data && data.items.length === 0 && <p>No items yet.</p>}
      {data && data.items.length > 0 && (
        <ul aria-label="items">
          {data.items.map((item) => (
            <li key={item.id}>{item.name}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
