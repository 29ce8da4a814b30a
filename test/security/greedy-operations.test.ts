// Greedy operations, reproduced the way they were found (issue 15 items 1, 8, 9, 13): receivers fanned out under
// aliases, one upload multiplied by aliases, introspection under aliases, a 5,000-deep document and deep variables.
// Each is refused before its first Bird call with a coded error; the figures are printed.
import { getIntrospectionQuery } from 'graphql';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { SEED } from '../../src/emulator/seed.ts';
import { type TestStack, startTestStack } from '../helpers.ts';

const WS = SEED.workspaces.main.id;
const EMAIL = SEED.channels.email.id;
const RECEIVERS_PER_EMAIL = 1_000;

let stack: TestStack;
/** The six emails of the reproduction, each with 1,000 receivers. */
const emails: string[] = [];

beforeAll(async () => {
  // Development: the limit errors name the estimate, so the figures can be checked.
  stack = await startTestStack({ emulator: { rateLimits: false }, env: { NODE_ENV: 'development' } });
  const send = 'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { __typename ... on SendMessagePayload { sentMessage { messageId } } ... on MutationError { message } } }';
  for (let m = 0; m < 6; m++) {
    const receivers = Array.from({ length: RECEIVERS_PER_EMAIL }, (_, i) => ({ identifierValue: `r${m}-${i}@receivers.example.com` }));
    const result = await stack.execute<{ sendMessage: { sentMessage?: { messageId: string } } }>(send, {
      input: { workspaceId: WS, channelId: EMAIL, receivers, content: { body: { html: { html: '<p>hi</p>', subject: 'Hi' } } } },
    });
    expect(result.errors, JSON.stringify(result.errors)).toBeUndefined();
    expect(result.data!.sendMessage.sentMessage, JSON.stringify(result.data)).toBeDefined();
    emails.push(result.data!.sendMessage.sentMessage!.messageId);
  }
}, 60_000);
afterAll(async () => {
  await stack?.close();
});
beforeEach(() => stack.requests.resetUpstream());

interface Refusal {
  status: number;
  errors: { message: string; extensions: { code: string; limit?: Record<string, number> } }[];
  data?: unknown;
  bytes: number;
}

async function post(body: unknown, headers: Record<string, string> = {}): Promise<Refusal> {
  const response = await stack.fetch('/graphql', {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json', authorization: `AccessKey ${SEED.accessKeys.demo}`, ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  const parsed = JSON.parse(text) as Omit<Refusal, 'status' | 'bytes'>;
  return { status: response.status, bytes: text.length, ...parsed, errors: parsed.errors ?? [] };
}

describe('item 1: the upstream-call budget cannot be beaten (Message.receivers holds up to 1,000)', () => {
  // Priced under MAX_COST (18,132 of 20,000): only the call budget stands between this query and 12,006 calls.
  const RECEIVER_CONTACTS = '{ receivers { ... on ContactParticipant { contact { identifiers(first: 100) { edges { node { key } } } } } } }';
  const ROUTES = {
    message: 'GET /workspaces/:ws/channels/:ch/messages/:msg',
    contact: 'GET /workspaces/:ws/contacts/:contact',
  };

  it('the reproduction, six aliased messages × 1,000 receivers × (contact + identifiers): at most MAX_UPSTREAM_CALLS calls, one coded error', async () => {
    const query = `{ ${emails.map((id, i) => `m${i}: message(workspaceId: "${WS}", channelId: "${EMAIL}", messageId: "${id}") ${RECEIVER_CONTACTS}`).join(' ')} }`;
    const answer = await post({ query });
    const calls = stack.requests.upstream().length;
    // The estimate counts the likely 10 receivers (126 calls); the handle's hard cap stops the real fan-out.
    expect(calls).toBeLessThanOrEqual(stack.config.limits.maxUpstreamCalls);
    expect(answer.data ?? null).toBeNull();
    expect(answer.errors.map((e) => e.extensions.code)).toEqual(['UPSTREAM_BUDGET_EXCEEDED']);
    console.log(`item 1: aliased receivers fan-out (12,006 calls unbounded) → ${calls} Bird calls, then UPSTREAM_BUDGET_EXCEEDED`);
  }, 60_000);

  it('the same through _entities: at most MAX_UPSTREAM_CALLS calls', async () => {
    const representations = emails.map((messageId) => ({ __typename: 'Message', workspaceId: WS, channelId: EMAIL, messageId }));
    // Pothos prices `_entities` as a list of 10 whatever the representations: 60 identifiers keep it under MAX_COST.
    const query = `query ($r: [_Any!]!) { _entities(representations: $r) { ... on Message ${RECEIVER_CONTACTS.replace('first: 100', 'first: 60')} } }`;
    const answer = await post({ query, variables: { r: representations } });
    expect(stack.requests.upstream().length).toBeLessThanOrEqual(stack.config.limits.maxUpstreamCalls);
    expect(answer.errors.map((e) => e.extensions.code)).toEqual(['UPSTREAM_BUDGET_EXCEEDED']);
  }, 60_000);

  it("a page of messages with every receiver's contact is refused up front at its likely size: 0 calls", async () => {
    const query = `{ channel(workspaceId: "${WS}", channelId: "${EMAIL}") { messages(first: 50) { edges { node { receivers { ... on ContactParticipant { contact { displayName } } } } } } } }`;
    const answer = await post({ query });
    expect(answer.errors.map((e) => e.extensions.code)).toEqual(['UPSTREAM_BUDGET_EXCEEDED']);
    expect(answer.errors[0]!.extensions.limit!.upstreamCalls).toBeGreaterThan(500);
    expect(stack.requests.upstream()).toEqual([]);
  });

  it("one message's receivers and their contacts stay readable: one call per contact, as many as it has", async () => {
    const receivers = await post({
      query: `{ message(workspaceId: "${WS}", channelId: "${EMAIL}", messageId: "${emails[0]}") { receivers { ... on ContactParticipant { contactId identifierValue } } } }`,
    });
    expect(receivers.errors).toEqual([]);
    expect((receivers.data as { message: { receivers: unknown[] } }).message.receivers).toHaveLength(RECEIVERS_PER_EMAIL);
    expect(stack.requests.upstream()).toHaveLength(1);
    const sms = SEED.messages.whatsappWithReaction;
    stack.requests.resetUpstream();
    const contacts = await post({
      query: `{ message(workspaceId: "${WS}", channelId: "${sms.channelId}", messageId: "${sms.id}") { receivers { ... on ContactParticipant { contact { displayName } } } } }`,
    });
    expect(contacts.errors).toEqual([]);
    expect(stack.requests.upstream().map((entry) => entry.route).sort()).toEqual([ROUTES.message, ROUTES.contact]);
  });
});

describe('item 13: a deeply nested document or variables is refused before anything recursive runs', () => {
  it('{ a { a { … 5,000 deep … b } } } (about 40 KB): NESTING_LIMIT_EXCEEDED, not a stack overflow', async () => {
    const query = `{ ${'ab { '.repeat(5_000)}b${' } '.repeat(5_000)} }`;
    expect(query.length).toBeGreaterThan(40_000);
    const logged = stack.logs.length;
    const answer = await post({ query });
    expect(answer.status).toBe(400);
    expect(answer.errors.map((e) => e.extensions.code)).toEqual(['NESTING_LIMIT_EXCEEDED']);
    expect(stack.logs.slice(logged).join('\n')).not.toMatch(/Maximum call stack|RangeError/);
    expect(stack.requests.upstream()).toEqual([]);
  });

  it('brackets inside strings, block strings and comments do not count; the same depth in arguments does', async () => {
    const deepText = '{'.repeat(500);
    const quoted = await post({ query: `# ${deepText}\n{ __typename a: __typename @skip(if: false) }`, variables: {} });
    expect(quoted.errors).toEqual([]);
    const inBlockString = await post({ query: `query ($x: String = """ ${deepText} \\""" ${deepText} """) { __typename }` });
    expect(inBlockString.errors.map((e) => e.extensions.code)).not.toContain('NESTING_LIMIT_EXCEEDED');
    const lists = await post({ query: `{ nodes(ids: ${'['.repeat(200)}"x"${']'.repeat(200)}) { id } }` });
    expect(lists.errors.map((e) => e.extensions.code)).toEqual(['NESTING_LIMIT_EXCEEDED']);
  });

  it('5,000-deep JSON in variables (a JSONObject input): NESTING_LIMIT_EXCEEDED, 0 calls', async () => {
    // Written as text, as an attacker sends it: JSON.stringify itself overflows on such a value.
    const deep = `${'{"a":'.repeat(5_000)}{"leaf":true}${'}'.repeat(5_000)}`;
    const query = 'mutation ($input: SendMessageInput!) { sendMessage(input: $input) { __typename } }';
    const input = JSON.stringify({
      workspaceId: WS,
      channelId: EMAIL,
      receivers: [{ identifierValue: 'x@receivers.example.com' }],
      content: { body: { html: { html: '<p>x</p>' } } },
      meta: { extraInformation: '<deep>' },
    }).replace('"<deep>"', deep);
    const logged = stack.logs.length;
    const answer = await post(`{"query":${JSON.stringify(query)},"variables":{"input":${input}}}`);
    expect(answer.status).toBe(400);
    expect(answer.errors.map((e) => e.extensions.code)).toEqual(['NESTING_LIMIT_EXCEEDED']);
    expect(stack.logs.slice(logged).join('\n')).not.toMatch(/Maximum call stack|RangeError/);
    expect(stack.requests.upstream()).toEqual([]);
  });
});

describe('item 9: introspection is costed, and one per document', () => {
  const FULL = getIntrospectionQuery({ descriptions: true, specifiedByUrl: true, directiveIsRepeatable: true, schemaDescription: true, inputValueDeprecation: true });
  const fragments = FULL.slice(FULL.indexOf('fragment FullType'));
  /** The selection of `__schema` in the full query, as a fragment, so that 20 copies stay a small document. */
  const schemaFragment = `fragment Schema on __Schema ${FULL.slice(FULL.indexOf('{', FULL.indexOf('__schema')), FULL.lastIndexOf('}', FULL.indexOf('fragment FullType')))}`;

  it("GraphiQL's full introspection still answers", async () => {
    const answer = await post({ query: FULL });
    expect(answer.errors).toEqual([]);
    expect(answer.bytes).toBeGreaterThan(100_000);
    console.log(`item 9: one full introspection answers ${answer.bytes} bytes`);
  });

  it('20 aliased full introspections (the 3.5 MB from 14 KB reproduction): refused before execution', async () => {
    const query = `query { ${Array.from({ length: 20 }, (_, i) => `i${i}: __schema { ...Schema }`).join(' ')} } ${schemaFragment} ${fragments}`;
    const answer = await post({ query });
    expect(answer.data).toBeUndefined();
    expect(answer.errors.map((e) => e.extensions.code)).toContain('INTROSPECTION_LIMIT_EXCEEDED');
    expect(answer.bytes).toBeLessThan(2_000);
    console.log(`item 9: 20 aliased introspections (${query.length} bytes) → ${answer.bytes} bytes refused`);
  });

  it('__schema and __type together, or two __type lookups, are two introspections', async () => {
    for (const query of ['{ __schema { queryType { name } } __type(name: "Message") { name } }', '{ a: __type(name: "Message") { name } b: __type(name: "Channel") { name } }']) {
      const answer = await post({ query });
      expect(answer.errors.map((e) => e.extensions.code)).toEqual(['INTROSPECTION_LIMIT_EXCEEDED']);
    }
    expect((await post({ query: '{ __type(name: "Message") { name fields { name } } __typename }' })).errors).toEqual([]);
  });

  it('aliasing inside one __schema is priced by what it returns: three copies of every type are over the cost limit', async () => {
    const types = 'types { name description fields(includeDeprecated: true) { name description args { name description type { name kind ofType { name kind ofType { name kind } } } } type { name kind ofType { name kind ofType { name kind } } } } inputFields { name type { name kind ofType { name kind } } } enumValues(includeDeprecated: true) { name description } }';
    const answer = await post({ query: `{ __schema { a: ${types} b: ${types} c: ${types} d: ${types} } }` });
    expect(answer.errors.map((e) => e.extensions.code)).toEqual(['COST_LIMIT_EXCEEDED']);
    expect(answer.errors[0]!.extensions.limit!.cost).toBeGreaterThan(20_000);
    expect((await post({ query: `{ __schema { ${types} } }` })).errors).toEqual([]);
  });
});

describe('item 8: one upload cannot be multiplied by aliasing uploadMedia', () => {
  const BOUNDARY = 'greedy-upload-boundary';
  const PNG = Buffer.from('89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c4890000000d4944415478da63f8cfc0f01f0005000201a5b5ea4d0000000049454e44ae426082', 'hex');

  function multipart(query: string): RequestInit {
    const operations = JSON.stringify({ query, variables: { f: null } });
    const map = JSON.stringify({ 0: ['variables.f'] });
    const part = (name: string, value: string) => `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`;
    const body = Buffer.concat([
      Buffer.from(part('operations', operations) + part('map', map)),
      Buffer.from(`--${BOUNDARY}\r\nContent-Disposition: form-data; name="0"; filename="a.png"\r\nContent-Type: image/png\r\n\r\n`),
      PNG,
      Buffer.from(`\r\n--${BOUNDARY}--\r\n`),
    ]);
    return {
      method: 'POST',
      headers: {
        'content-type': `multipart/form-data; boundary=${BOUNDARY}`,
        'x-graphql-yoga-csrf': '1',
        accept: 'application/json',
        authorization: `AccessKey ${SEED.accessKeys.demo}`,
      },
      body: new Uint8Array(body),
    };
  }
  const upload = (alias: string) => `${alias}uploadMedia(input: { workspaceId: "${WS}", file: $f }) { __typename ... on UploadMediaPayload { mediaUrl } }`;

  it('31 uploadMedia fields (30 aliases) on one file: UPLOAD_LIMIT_EXCEEDED, 0 storage POSTs', async () => {
    const fields = [upload(''), ...Array.from({ length: 30 }, (_, i) => upload(`u${i}: `))];
    const response = await stack.fetch('/graphql', multipart(`mutation ($f: File!) { ${fields.join(' ')} }`));
    const answer = (await response.json()) as Refusal;
    expect(answer.errors.map((e) => e.extensions.code)).toEqual(['UPLOAD_LIMIT_EXCEEDED']);
    expect(stack.requests.upstream()).toEqual([]);
    console.log('item 8: 31 aliased uploadMedia → refused, 0 presigns, 0 storage POSTs (was 31)');
  });

  it('two uploadMedia fields are already over the limit of one upload per request; one is 2 calls (form + storage)', async () => {
    const two = await stack.fetch('/graphql', multipart(`mutation ($f: File!) { ${upload('a: ')} ${upload('b: ')} }`));
    expect(((await two.json()) as Refusal).errors.map((e) => e.extensions.code)).toEqual(['UPLOAD_LIMIT_EXCEEDED']);
    expect(stack.requests.upstream()).toEqual([]);
    const one = await stack.fetch('/graphql', multipart(`mutation ($f: File!) { ${upload('')} }`));
    const answer = (await one.json()) as { data: { uploadMedia: { __typename: string } } };
    expect(answer.data.uploadMedia.__typename).toBe('UploadMediaPayload');
    expect(stack.requests.upstream().map((entry) => entry.method)).toEqual(['POST', 'POST']);
  });
});
