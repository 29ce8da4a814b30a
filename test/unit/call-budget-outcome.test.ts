// useCallBudgetOutcome: a query past its call budget fails whole with one coded error; a mutation keeps what it did.
import { createSchema, createYoga } from 'graphql-yoga';
import { describe, expect, it } from 'vitest';
import { BirdError } from '../../src/bird/errors.ts';
import { maskError, useCallBudgetOutcome } from '../../src/errors.ts';

const spent = () =>
  new BirdError({ code: 'CALL_BUDGET_EXCEEDED', message: 'getContact: spent', method: 'CALL', route: 'getContact', attempts: 0 });

const yoga = createYoga({
  schema: createSchema({
    typeDefs: 'type Query { ok: String, a: String, b: String } type Mutation { send: String, after: String }',
    resolvers: {
      Query: { ok: () => 'fine', a: () => Promise.reject(spent()), b: () => Promise.reject(spent()) },
      Mutation: { send: () => 'sent', after: () => Promise.reject(spent()) },
    },
  }),
  maskedErrors: { maskError },
  plugins: [useCallBudgetOutcome()],
  logging: false,
});

async function run(query: string) {
  const response = await yoga.fetch('http://yoga/graphql', { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()) as { data?: unknown; errors?: { message: string; extensions?: { code?: string } }[] };
}

describe('useCallBudgetOutcome', () => {
  it('a query past the budget answers data: null and one UPSTREAM_BUDGET_EXCEEDED error, however many fields failed', async () => {
    const result = await run('{ ok a b }');
    expect(result.data).toBeNull();
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_BUDGET_EXCEEDED']);
  });

  it('a query within the budget is untouched', async () => {
    expect(await run('{ ok }')).toEqual({ data: { ok: 'fine' } });
  });

  it('a mutation keeps its result beside the coded errors: what it did stays visible', async () => {
    const result = await run('mutation { send after }');
    expect(result.data).toEqual({ send: 'sent', after: null });
    expect(result.errors?.map((error) => error.extensions?.code)).toEqual(['UPSTREAM_BUDGET_EXCEEDED']);
  });
});
