// Types of Vite's import.meta.env for this page.
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** The GraphQL endpoint (default http://localhost:4000/graphql). */
  readonly VITE_GRAPHQL_URL?: string;
}
