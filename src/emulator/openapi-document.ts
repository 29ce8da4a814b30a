// The emulator's own OpenAPI 3.0 document (GET /openapi.json): its read endpoints, the send and the batch send, as the emulator serves them.
//
// It describes this emulator, not all of Bird: the paths, parameters and response shapes of src/emulator/server.ts and
// store.ts. Generic tools read it (Hive Gateway with an @omnigraph/openapi source in bench/, client generators), so the
// shapes are kept to what such tools understand: a sender or receiver is an object with one of `connector`,
// `contact` or `contacts`, and a message body is free-form JSON. `links` let a tool follow a message list to its
// channel. Keep it in step with the ROUTES table in server.ts (a test checks the paths against it).

const uuid = { type: 'string', format: 'uuid' } as const;
const dateTime = { type: 'string', format: 'date-time' } as const;
const freeForm = { type: 'object', additionalProperties: true } as const;

const pathParam = (name: string, description: string) => ({ name, in: 'path', required: true, description, schema: uuid });
const queryParam = (name: string, description: string, schema: Record<string, unknown> = { type: 'string' }) => ({
  name,
  in: 'query',
  required: false,
  description,
  schema,
});
const listParam = (name: string, description: string, items: Record<string, unknown> = { type: 'string' }) => ({
  ...queryParam(name, description, { type: 'array', items }),
  style: 'form',
  explode: true,
});

const WS = pathParam('workspaceId', 'The workspace UUID.');
const CH = pathParam('channelId', 'The channel UUID.');
const pageParams = (max: number) => [
  queryParam('limit', `Items per page, 1..${max} (default 10).`, { type: 'integer', minimum: 1, maximum: max }),
  queryParam('pageToken', 'The nextPageToken of the previous page.'),
  queryParam('reverse', 'Oldest first instead of newest first.', { type: 'boolean' }),
];
const messageFilterParams = [
  queryParam('platform', 'Only messages on channels of this platform.'),
  queryParam('direction', 'incoming or outgoing.', { type: 'string', enum: ['incoming', 'outgoing'] }),
  listParam('status', 'Only messages in one of these statuses.'),
  queryParam('startAt', 'Created at or after.', dateTime),
  queryParam('endAt', 'Created at or before.', dateTime),
  queryParam('senderIdentifier', 'Sender phone number, email address, …'),
  queryParam('recipientIdentifier', 'Receiver phone number, email address, …'),
  queryParam('tag', 'Only messages with this tag.'),
  queryParam('subject', 'Only emails whose subject contains this text.'),
];

const json = (schema: Record<string, unknown>, description = 'OK', extra: Record<string, unknown> = {}) => ({
  description,
  content: { 'application/json': { schema } },
  ...extra,
});
const errors = {
  '400': { $ref: '#/components/responses/Error' },
  '401': { $ref: '#/components/responses/Error' },
  '403': { $ref: '#/components/responses/Error' },
  '404': { $ref: '#/components/responses/Error' },
  '429': { $ref: '#/components/responses/Error' },
};
const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const pageOf = (item: string) => ({
  type: 'object',
  required: ['results'],
  properties: { results: { type: 'array', items: ref(item) }, nextPageToken: { type: 'string' } },
});

export const OPENAPI_PATH = '/openapi.json';

export const OPENAPI_DOCUMENT = {
  openapi: '3.0.3',
  info: {
    title: 'Bird Channels API (local emulator)',
    version: '1.0.0',
    description:
      "The read endpoints and the send of the bird-graphql emulator, a local stand-in for Bird's Channels API. " +
      'Authenticate with `Authorization: AccessKey <key>` (seeded key: demo-access-key).',
  },
  servers: [{ url: '/' }],
  security: [{ AccessKey: [] }],
  paths: {
    '/organizations/{organizationId}/workspaces': {
      get: {
        operationId: 'listWorkspaces',
        summary: "The organization's workspaces, newest first.",
        parameters: [pathParam('organizationId', 'The organization UUID.'), ...pageParams(100)],
        responses: { '200': json(pageOf('Workspace')), ...errors },
      },
    },
    '/organizations/{organizationId}/workspaces/{workspaceId}': {
      get: {
        operationId: 'getWorkspace',
        summary: 'A workspace.',
        parameters: [pathParam('organizationId', 'The organization UUID.'), WS],
        responses: { '200': json(ref('Workspace')), ...errors },
      },
    },
    '/workspaces/{workspaceId}/channels': {
      get: {
        operationId: 'listChannels',
        summary: "The workspace's channels, newest first.",
        parameters: [
          WS,
          ...pageParams(1000),
          listParam('platform', 'Only channels of these platforms (sms, email, whatsapp, …).'),
          queryParam('status', 'Only channels in this status.'),
          queryParam('useCaseType', 'Only channels for this use case.', {
            type: 'string',
            enum: ['otp', 'transactional', 'marketing', 'conversation'],
          }),
          listParam('channelIds', 'Only these channels.', uuid),
        ],
        responses: { '200': json(pageOf('Channel')), ...errors },
      },
    },
    '/workspaces/{workspaceId}/channels/{channelId}': {
      get: {
        operationId: 'getChannel',
        summary: 'A channel.',
        parameters: [WS, CH],
        responses: { '200': json(ref('Channel')), ...errors },
      },
    },
    '/workspaces/{workspaceId}/channels/{channelId}/messages': {
      get: {
        operationId: 'listChannelMessages',
        summary: "The channel's messages, newest first.",
        parameters: [WS, CH, ...pageParams(1000), ...messageFilterParams, queryParam('batchId', 'Only messages of this batch.', uuid)],
        responses: {
          '200': json(pageOf('Message'), 'OK', {
            links: {
              channel: {
                operationId: 'getChannel',
                description: 'The channel these messages belong to.',
                parameters: { workspaceId: '$request.path.workspaceId', channelId: '$request.path.channelId' },
              },
            },
          }),
          ...errors,
        },
      },
      post: {
        operationId: 'sendMessage',
        summary: 'Sends a message on the channel (202 with the accepted message).',
        parameters: [WS, CH],
        requestBody: { required: true, content: { 'application/json': { schema: ref('SendMessageRequest') } } },
        responses: {
          '202': json(ref('Message'), 'Accepted'),
          ...errors,
          '409': { $ref: '#/components/responses/Error' },
          '422': { $ref: '#/components/responses/ValidationError' },
        },
      },
    },
    '/workspaces/{workspaceId}/channels/{channelId}/batch/messages': {
      post: {
        operationId: 'sendBatch',
        summary: 'Sends 1 to 100 messages on the channel (202 with the batch id; the items are validated afterwards).',
        parameters: [WS, CH],
        requestBody: {
          required: true,
          content: {
            'application/json': {
              schema: {
                type: 'object',
                required: ['messageRequests'],
                properties: { messageRequests: { type: 'array', minItems: 1, maxItems: 100, items: ref('SendMessageRequest') } },
              },
            },
          },
        },
        responses: {
          '202': json({ type: 'object', required: ['batchId'], properties: { batchId: uuid } }, 'Accepted'),
          ...errors,
          '409': { $ref: '#/components/responses/Error' },
        },
      },
    },
    '/workspaces/{workspaceId}/channels/{channelId}/messages/{messageId}': {
      get: {
        operationId: 'getMessage',
        summary: 'A message.',
        parameters: [WS, CH, pathParam('messageId', 'The message UUID.')],
        responses: { '200': json(ref('Message')), ...errors },
      },
    },
    '/workspaces/{workspaceId}/channels/{channelId}/messages/{messageId}/interactions': {
      get: {
        operationId: 'listInteractions',
        summary: "The message's interactions (opened, clicked, read, …), newest first; not paginated.",
        parameters: [WS, CH, pathParam('messageId', 'The message UUID.')],
        responses: {
          '200': json({ type: 'object', required: ['results'], properties: { results: { type: 'array', items: ref('Interaction') } } }),
          ...errors,
        },
      },
    },
    '/workspaces/{workspaceId}/messages': {
      get: {
        operationId: 'listWorkspaceMessages',
        summary: "Messages across all of the workspace's channels, newest first.",
        parameters: [WS, ...pageParams(1000), ...messageFilterParams, queryParam('channelId', 'Only messages of this channel.', uuid)],
        responses: { '200': json(pageOf('Message')), ...errors },
      },
    },
    '/workspaces/{workspaceId}/contacts': {
      get: {
        operationId: 'listContacts',
        summary: "The workspace's contacts, newest first.",
        parameters: [WS, ...pageParams(100)],
        responses: { '200': json(pageOf('Contact')), ...errors },
      },
    },
    '/workspaces/{workspaceId}/contacts/{contactId}': {
      get: {
        operationId: 'getContact',
        summary: 'A contact.',
        parameters: [WS, pathParam('contactId', 'The contact UUID.')],
        responses: { '200': json(ref('Contact')), ...errors },
      },
    },
  },
  components: {
    securitySchemes: {
      AccessKey: { type: 'apiKey', in: 'header', name: 'Authorization', description: '`AccessKey <key>`' },
    },
    responses: {
      Error: json({ type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' } } }, 'Error'),
      ValidationError: json(
        {
          type: 'object',
          required: ['code', 'message', 'details'],
          properties: {
            code: { type: 'string' },
            message: { type: 'string' },
            details: { type: 'object', additionalProperties: { type: 'array', items: { type: 'string' } } },
          },
        },
        'Validation error',
      ),
    },
    schemas: {
      Workspace: {
        type: 'object',
        required: ['id', 'organizationId', 'name', 'status', 'createdAt', 'updatedAt'],
        properties: {
          id: uuid,
          organizationId: uuid,
          name: { type: 'string' },
          description: { type: 'string' },
          status: { type: 'string' },
          createdAt: dateTime,
          updatedAt: dateTime,
        },
      },
      Channel: {
        type: 'object',
        required: ['id', 'platformId', 'name', 'connectorId', 'status'],
        properties: {
          id: uuid,
          platformId: { type: 'string' },
          name: { type: 'string' },
          connectorId: uuid,
          identifier: { type: 'string' },
          status: { type: 'string' },
          useCaseType: { type: 'string', nullable: true },
          channelMessageType: { type: 'string', nullable: true },
          capabilities: freeForm,
          createdAt: dateTime,
          updatedAt: dateTime,
        },
      },
      ContactRef: {
        type: 'object',
        properties: {
          id: uuid,
          identifierKey: { type: 'string' },
          identifierValue: { type: 'string' },
          type: { type: 'string', enum: ['to', 'cc', 'bcc'] },
          countryCode: { type: 'string' },
          identifiers: {
            type: 'array',
            items: {
              type: 'object',
              required: ['identifierKey', 'identifierValue'],
              properties: { identifierKey: { type: 'string' }, identifierValue: { type: 'string' } },
            },
          },
          platformAddress: { type: 'string' },
          platformAddressSelector: { type: 'string', nullable: true },
          receiverValue: { type: 'string', description: 'Sending only (newer docs): the address itself.' },
          receiverExpression: { type: 'string', description: 'Sending only (newer docs): an expression resolved against the contact.' },
        },
      },
      Connector: {
        type: 'object',
        required: ['id'],
        properties: { id: uuid, identifierValue: { type: 'string' } },
      },
      Party: {
        type: 'object',
        description: 'Exactly one of `connector`, `contact` (a sender) or `contacts` (receivers) is present.',
        properties: {
          connector: ref('Connector'),
          contact: ref('ContactRef'),
          contacts: { type: 'array', items: ref('ContactRef') },
        },
      },
      Message: {
        type: 'object',
        required: ['id', 'channelId', 'sender', 'receiver', 'status', 'lastStatusAt', 'createdAt', 'updatedAt'],
        properties: {
          id: uuid,
          channelId: uuid,
          sender: ref('Party'),
          receiver: ref('Party'),
          body: { ...freeForm, description: 'The body: `{type, <type>: {...}}`.' },
          template: freeForm,
          meta: freeForm,
          reference: { type: 'string' },
          status: { type: 'string' },
          reason: { type: 'string' },
          direction: { type: 'string', enum: ['incoming', 'outgoing'] },
          tags: { type: 'array', items: { type: 'string' } },
          batchId: uuid,
          lastStatusAt: dateTime,
          createdAt: dateTime,
          updatedAt: dateTime,
        },
      },
      Interaction: {
        type: 'object',
        required: ['id', 'type', 'messageId', 'channelId', 'createdAt'],
        properties: { id: uuid, type: { type: 'string' }, messageId: uuid, channelId: uuid, details: freeForm, createdAt: dateTime },
      },
      Contact: {
        type: 'object',
        required: ['id', 'createdAt', 'updatedAt'],
        properties: {
          id: uuid,
          computedDisplayName: { type: 'string' },
          workspaceId: uuid,
          featuredIdentifiers: {
            type: 'array',
            items: { type: 'object', required: ['key', 'value'], properties: { key: { type: 'string' }, value: { type: 'string' } } },
          },
          identifierCount: { type: 'integer' },
          attributes: freeForm,
          createdAt: dateTime,
          updatedAt: dateTime,
        },
      },
      SendMessageRequest: {
        type: 'object',
        required: ['receiver'],
        properties: {
          receiver: {
            type: 'object',
            required: ['contacts'],
            properties: { contacts: { type: 'array', items: ref('ContactRef') } },
          },
          body: { ...freeForm, description: 'The body: `{type, <type>: {...}}`, e.g. `{"type":"text","text":{"text":"Hi"}}`.' },
          template: freeForm,
          reference: { type: 'string' },
          tags: { type: 'array', items: { type: 'string' } },
          meta: freeForm,
        },
      },
    },
  },
} as const;

/** The document as served: the `servers` entry points at the emulator that serves it. */
export function openApiDocumentFor(origin: string): string {
  return JSON.stringify({ ...OPENAPI_DOCUMENT, servers: [{ url: origin, description: 'This emulator' }] });
}
