// The upstream-call estimate never leaves a fan-out to the default: every list whose items can lead to Bird calls has its sizes.
import { type GraphQLField, type GraphQLNamedType, getNamedType, getNullableType, isInterfaceType, isListType, isObjectType, isUnionType } from 'graphql';
import { describe, expect, it } from 'vitest';
import { FAN_OUT_LISTS, callsPerParent } from '../../src/limits.ts';
import { testSchema } from '../helpers.ts';

const schema = testSchema();

/** The object types a value of `type` can be (a union or interface: each possible type). */
function concrete(type: GraphQLNamedType): GraphQLNamedType[] {
  return isUnionType(type) || isInterfaceType(type) ? [...schema.getPossibleTypes(type)] : [type];
}

/** Whether a selection on `type` can make a Bird call, at any depth (cycles count as no). */
function canCall(type: GraphQLNamedType, seen = new Set<string>()): boolean {
  if (seen.has(type.name)) return false;
  seen.add(type.name);
  return concrete(type).some((object) => {
    if (!isObjectType(object)) return false;
    return Object.values(object.getFields()).some(
      (field) => callsPerParent(field as GraphQLField<unknown, unknown>, object, false) > 0 || canCall(getNamedType(field.type), seen),
    );
  });
}

describe('FAN_OUT_LISTS', () => {
  it('has the likely and the largest size of every list of the schema whose items can lead to a Bird call', () => {
    const fanOuts: string[] = [];
    for (const type of Object.values(schema.getTypeMap())) {
      if (type.name.startsWith('__') || !(isObjectType(type) || isInterfaceType(type))) continue;
      for (const field of Object.values(type.getFields())) {
        // Connections' edges are priced by the page size, `nodes` / `_entities` by their arguments.
        if (!isListType(getNullableType(field.type)) || ['edges', 'nodes', '_entities'].includes(field.name)) continue;
        if (canCall(getNamedType(field.type))) fanOuts.push(`${type.name}.${field.name}`);
      }
    }
    expect(fanOuts.length).toBeGreaterThan(0);
    for (const coordinate of fanOuts) {
      const sizes = FAN_OUT_LISTS[coordinate.split('.')[1]!];
      expect(sizes, coordinate).toBeDefined();
      expect(sizes!.likely).toBeLessThanOrEqual(sizes!.max);
    }
    expect(fanOuts.sort()).toEqual(expect.arrayContaining(['Message.receivers']));
  });
});
