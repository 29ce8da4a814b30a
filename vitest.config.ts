// Vitest config, for one reason only: load `graphql` once, from the same CommonJS file Node gives yoga and Pothos.
import { createRequire } from 'node:module';
import { defineConfig } from 'vitest/config';

// graphql 16 has no `exports` map: Node resolves `graphql` to index.js (what yoga, Pothos and @apollo/subgraph get),
// but Vite's resolver prefers the `module` field, index.mjs, for our own files. Two copies break every
// `instanceof GraphQLError` / GraphQLSchema check ("Cannot use GraphQLSchema from another module or realm"), so
// masking and schemas built in tests would fail. Import subpaths (`graphql/language`) are not aliased: avoid them.
export default defineConfig({
  resolve: {
    alias: [{ find: /^graphql$/, replacement: createRequire(import.meta.url).resolve('graphql') }],
  },
});
