// GraphQL Code Generator config of the inbox page: the client preset turns the operations in src/ into a typed `graphql()` in src/gql/, from the server's schema.graphql.
//
// The repo's `npm run codegen` (and its drift check in `npm test`) runs this output with the rest; on its own:
// `npx graphql-codegen --config examples/inbox/codegen.ts`. Paths are resolved from this file, so either works.
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));

export const generates: CodegenConfig['generates'] = {
  [here('./src/gql/')]: {
    documents: [here('./src/**/*.ts'), `!${here('./src/gql/**')}`],
    preset: 'client',
    // Plain types instead of masked fragments: the page is small and reads every field where it queries it.
    presetConfig: { fragmentMasking: false },
    config: {
      useTypeImports: true,
      // String unions, not TS enums: nothing to import at runtime, and `status === 'DELIVERED'` type-checks.
      enumsAsTypes: true,
      scalars: { DateTime: 'string', UUID: 'string', URL: 'string', JSON: 'unknown', JSONObject: 'Record<string, unknown>', File: 'File' },
      // A scalar not mapped above (e.g. federation's) is `unknown` to the page, never `any`.
      defaultScalarType: 'unknown',
    },
  },
};

const config: CodegenConfig = {
  overwrite: true,
  // The server's committed schema (a federation subgraph SDL; the client preset reads it as it is).
  schema: here('../../schema.graphql'),
  generates,
};

export default config;
