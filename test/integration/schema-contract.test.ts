// The frontend contract read off the built schema: non-null edges and nodes, non-null mutation results, the design's type names.
import { isNonNullType, isObjectType, isUnionType, printType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { testSchema } from '../helpers.ts';

const schema = testSchema();
const connections = Object.values(schema.getTypeMap()).filter(
  (type) => isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields(),
);

describe('the frontend contract', () => {
  it('has the connections of every list', () => {
    expect(connections.map((type) => type.name).sort()).toEqual([
      'ChannelConnection',
      'ContactConnection',
      'ContactIdentifierConnection',
      'InteractionConnection',
      'MessageConnection',
      'WorkspaceConnection',
    ]);
  });

  it.each(connections.map((type) => [type.name]))('%s has `edges: [XEdge!]!`, `node: X!` and `cursor: String!`', (name) => {
    const connection = schema.getType(name);
    if (!isObjectType(connection)) throw new Error(name);
    const edgeName = name.replace(/Connection$/, 'Edge');
    const nodeName = name.replace(/Connection$/, '');
    expect(String(connection.getFields().edges!.type)).toBe(`[${edgeName}!]!`);
    expect(String(connection.getFields().pageInfo!.type)).toBe('PageInfo!');
    const edge = schema.getType(edgeName);
    if (!isObjectType(edge)) throw new Error(edgeName);
    expect(String(edge.getFields().node!.type)).toBe(`${nodeName}!`);
    expect(String(edge.getFields().cursor!.type)).toBe('String!');
  });

  it('gives every mutation a non-null result', () => {
    const mutation = schema.getMutationType()!;
    for (const field of Object.values(mutation.getFields())) {
      expect(isNonNullType(field.type), `Mutation.${field.name}: ${String(field.type)}`).toBe(true);
    }
  });

  it('names the five design types Workspace, Channel, Message, Interaction and Contact', () => {
    for (const name of ['Workspace', 'Channel', 'Message', 'Interaction', 'Contact']) {
      expect(isObjectType(schema.getType(name)), name).toBe(true);
    }
    const names = Object.keys(schema.getTypeMap());
    expect(names.filter((name) => name.startsWith('MessageInteraction'))).toEqual([]);
    const message = schema.getType('Message');
    if (!isObjectType(message)) throw new Error('Message');
    expect(String(message.getFields().interactions!.type)).toBe('InteractionConnection');
    expect(isUnionType(schema.getType('MessageParticipant'))).toBe(true);
  });

  it('keeps the fields every Bird response carries non-null', () => {
    const required: Record<string, string[]> = {
      Workspace: ['id', 'workspaceId', 'organizationId', 'name', 'status', 'createdAt', 'updatedAt'],
      Channel: ['id', 'workspaceId', 'channelId', 'name', 'platform', 'platformId', 'connectorId', 'status'],
      Message: ['id', 'workspaceId', 'channelId', 'messageId', 'status', 'receivers', 'lastStatusAt', 'createdAt', 'updatedAt'],
      Interaction: ['id', 'interactionId', 'workspaceId', 'channelId', 'messageId', 'type', 'platformId', 'createdAt'],
      Contact: ['id', 'workspaceId', 'contactId', 'createdAt', 'updatedAt'],
      ContactIdentifier: ['key', 'value', 'createdAt'],
    };
    for (const [typeName, fields] of Object.entries(required)) {
      const type = schema.getType(typeName);
      if (!isObjectType(type)) throw new Error(typeName);
      for (const field of fields) {
        expect(isNonNullType(type.getFields()[field]!.type), `${typeName}.${field} in ${printType(type).slice(0, 40)}`).toBe(true);
      }
    }
  });
});
