// The schema as documentation: every type, field, argument and enum value a GraphiQL user sees has a description.
import {
  type GraphQLNamedType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { describe, expect, it } from 'vitest';
import { NODE_TYPENAMES } from '../../src/builder.ts';
import { testSchema } from '../helpers.ts';

/** Federation plumbing added by the subgraph build; its descriptions are Apollo's business, not ours. */
const FEDERATION = new Set(['_Any', '_Entity', '_Service', 'link__Import', 'link__Purpose', 'federation__FieldSet']);
const FEDERATION_FIELDS = new Set(['Query._service', 'Query._entities']);

function undocumented(type: GraphQLNamedType): string[] {
  const missing: string[] = [];
  if (!type.description?.trim()) missing.push(type.name);
  if (isObjectType(type) || isInterfaceType(type)) {
    for (const field of Object.values(type.getFields())) {
      const coordinate = `${type.name}.${field.name}`;
      if (FEDERATION_FIELDS.has(coordinate)) continue;
      if (!field.description?.trim()) missing.push(coordinate);
      for (const arg of field.args) if (!arg.description?.trim()) missing.push(`${coordinate}(${arg.name})`);
    }
  }
  if (isInputObjectType(type)) {
    for (const field of Object.values(type.getFields())) {
      if (!field.description?.trim()) missing.push(`${type.name}.${field.name}`);
    }
  }
  if (isEnumType(type)) {
    for (const value of type.getValues()) if (!value.description?.trim()) missing.push(`${type.name}.${value.name}`);
  }
  return missing;
}

describe('schema documentation', () => {
  it('describes every type, field, argument and enum value', () => {
    const schema = testSchema();
    const missing = Object.values(schema.getTypeMap())
      .filter((type) => !type.name.startsWith('__') && !FEDERATION.has(type.name))
      .flatMap(undocumented);
    expect(missing).toEqual([]);
  });

  it('refuses global ids of exactly the types that are not nodes', () => {
    const node = testSchema().getType('Node');
    expect(node && isInterfaceType(node)).toBe(true);
    const implementations = testSchema()
      .getPossibleTypes(node as never)
      .map((type) => type.name)
      .sort();
    expect(implementations).toEqual([...NODE_TYPENAMES].sort());
  });

  it('gives every union a description and at least two members', () => {
    for (const type of Object.values(testSchema().getTypeMap())) {
      if (isUnionType(type)) expect(type.getTypes().length, type.name).toBeGreaterThanOrEqual(2);
    }
  });
});
