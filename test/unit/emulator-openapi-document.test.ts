// The emulator's OpenAPI document (GET /openapi.json) describes routes the emulator really serves, with the answers it gives.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OPENAPI_DOCUMENT, OPENAPI_PATH } from '../../src/emulator/openapi-document.ts';
import { SEED } from '../../src/emulator/seed.ts';
import { type Emulator, startEmulator } from '../../src/emulator/server.ts';

const WS = SEED.workspaces.main.id;
const CH = SEED.channels.sms.id;
const params: Record<string, string> = {
  organizationId: SEED.organizationId,
  workspaceId: WS,
  channelId: CH,
  messageId: '',
  contactId: SEED.contacts[0]!.id,
};

let emulator: Emulator;
beforeAll(async () => {
  emulator = await startEmulator({ rateLimits: false });
  params.messageId = emulator.store.allMessages(WS, CH)[0]!.id;
});
afterAll(() => emulator.close());

const auth = { authorization: `AccessKey ${SEED.accessKeys.demo}` };
const message = { receiver: { contacts: [{ identifierValue: SEED.contacts[0]!.phone }] }, body: { type: 'text', text: { text: 'Hi' } } };

describe('GET /openapi.json', () => {
  it('serves the OpenAPI 3 document without a key, with this emulator as its server', async () => {
    const res = await fetch(`${emulator.url}${OPENAPI_PATH}`);
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('application/json');
    const doc = (await res.json()) as { openapi: string; servers: { url: string }[]; paths: Record<string, unknown> };
    expect(doc.openapi).toMatch(/^3\./);
    expect(doc.servers[0]!.url).toBe(emulator.url);
    expect(Object.keys(doc.paths)).toEqual(Object.keys(OPENAPI_DOCUMENT.paths));
  });

  const operations = Object.entries(OPENAPI_DOCUMENT.paths).flatMap(([path, methods]) =>
    Object.entries(methods).map(([method, op]) => ({ path, method: method.toUpperCase(), op: op as { operationId: string; responses: Record<string, unknown> } })),
  );

  it.each(operations)('$method $path ($op.operationId) is an emulator route answering its documented success status', async ({ path, method, op }) => {
    const url = emulator.url + path.replace(/\{(\w+)\}/g, (_, name: string) => params[name]!);
    emulator.resetRequests();
    const res =
      method === 'GET'
        ? await fetch(url, { headers: auth })
        : await fetch(url, {
            method,
            headers: { ...auth, 'content-type': 'application/json' },
            body: JSON.stringify(path.endsWith('/batch/messages') ? { messageRequests: [message] } : message),
          });
    const success = Object.keys(op.responses).find((status) => status.startsWith('2'));
    expect(String(res.status)).toBe(success);
    expect(emulator.requests.map((r) => r.route)).not.toContain('UNMATCHED');
    const body = (await res.json()) as Record<string, unknown>;
    const schema = (op.responses[success!] as { content: { 'application/json': { schema: { $ref?: string; required?: string[] } } } }).content['application/json'].schema;
    const required = schema.$ref
      ? (OPENAPI_DOCUMENT.components.schemas[schema.$ref.split('/').at(-1) as keyof typeof OPENAPI_DOCUMENT.components.schemas] as { required?: readonly string[] }).required
      : schema.required;
    for (const field of required ?? []) expect(body).toHaveProperty(field);
  });
});
