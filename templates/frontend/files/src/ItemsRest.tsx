import { type FormEvent, useEffect, useState } from "react";

export type Item = { id: number; name: string; created: string };

/** The REST API's answer for a list: one page of results (Django REST framework). */
type Page<T> = { count: number; next: string | null; results: T[] };

async function request<T>(url: string, init?: RequestInit): Promise<T> {
  const response = await fetch(url, {
    ...init,
    headers: { Accept: "application/json", "Content-Type": "application/json" },
  });
  if (!response.ok) {
    throw new Error(`${response.status} ${response.statusText}`);
  }
  return (await response.json()) as T;
}

/** The example items, from the backend's database over its REST API
 * (/api/items/), and a form that creates one. */
export function Items() {
  const [items, setItems] = useState<Item[] | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  const [createError, setCreateError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  const [name, setName] = useState("");

  // Bumped after a change, to load the list again.
  const [version, setVersion] = useState(0);

  useEffect(() => {
    let current = true;
    request<Page<Item>>("/api/items/").then(
      (page) => {
        if (current) {
          setItems(page.results);
          setLoadError(null);
        }
      },
      (error: unknown) => {
        if (current) setLoadError(String(error));
      },
    );
    return () => {
      current = false;
    };
  }, [version]);

  async function submit(event: FormEvent) {
    event.preventDefault();
    setSaving(true);
    try {
      await request<Item>("/api/items/", {
        method: "POST",
        body: JSON.stringify({ name: name.trim() }),
      });
      setCreateError(null);
      setName("");
      setVersion((v) => v + 1);
    } catch (error) {
      setCreateError(String(error));
    } finally {
      setSaving(false);
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
        <button type="submit" disabled={saving || name.trim() === ""}>
          Add
        </button>
      </form>
      {createError && <p role="alert">Could not add the item: {createError}</p>}
      {loadError && <p role="alert">Could not load the items: {loadError}</p>}
      {items === null && !loadError && <p>Loading…</p>}
      {items && items.length === 0 && <p>No items yet.</p>}
      {items && items.length > 0 && (
        <ul aria-label="items">
          {items.map((item) => (
            <li key={item.id}>{item.name}</li>
          ))}
        </ul>
      )}
    </section>
  );
}
