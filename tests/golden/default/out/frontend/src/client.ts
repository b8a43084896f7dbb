import { Client, cacheExchange, fetchExchange } from "urql";

/** The GraphQL client: the backend's /graphql/, on the page's own origin
 * (the dev server, `vite preview` and Traefik route it to the backend). */
export function makeClient(url = "/graphql/"): Client {
  // POST for every operation: simpler to proxy, log and test than GET URLs.
  return new Client({ url, exchanges: [cacheExchange, fetchExchange], preferGetMethod: false });
}
