// The GraphQL-over-HTTP spec audit of graphql-http (someone else's reading of the spec) against our app as shipped.
import { serverAudits } from 'graphql-http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_KEY, type TestStack, startTestStack } from '../helpers.ts';

let stack: TestStack;

beforeAll(async () => {
  // Production settings: the plugins and defaults we ship (CSRF prevention, limits, masking, no GraphiQL). Audit
  // 28B9 checks `variables` with a `__type(name: $name)` query, so introspection is allowed here: refusing it in
  // production is a schema policy tested on its own, not part of the transport this audit is about.
  stack = await startTestStack({ env: { NODE_ENV: 'production', INTROSPECTION: 'true' } });
});
afterAll(async () => {
  await stack?.close();
});

/** The audits send no credential; ours is added so they test the transport, not the authentication gate. */
const fetchFn = (url: string, init: RequestInit = {}) => {
  const headers = new Headers(init.headers);
  headers.set('authorization', `AccessKey ${DEMO_KEY}`);
  return stack.app.fetch(url, { ...init, headers });
};

describe('graphql-http server audits (0 MUST violations)', () => {
  // `warn` (SHOULD) and `notice` (MAY) results pass; only an `error` (a MUST rule broken) fails.
  for (const audit of serverAudits({ url: 'http://yoga/graphql', fetchFn })) {
    it(`${audit.id} ${audit.name}`, async () => {
      const result = await audit.fn();
      expect(result.status, 'reason' in result ? result.reason : '').not.toBe('error');
    });
  }
});
