// coerceVariables (src/limits.ts): one request's variables are coerced once, by the estimate, and execution reuses that
// result; nothing is shared between two requests' variables objects.
import { GraphQLObjectType, GraphQLScalarType, GraphQLSchema, GraphQLString, type OperationDefinitionNode, parse } from 'graphql';
import { describe, expect, it } from 'vitest';
import { coerceVariables, estimateOperation } from '../../src/limits.ts';

let parsed = 0;
const Counted = new GraphQLScalarType({ name: 'Counted', parseValue: (value) => (parsed++, value), serialize: (value) => value });
const schema = new GraphQLSchema({
  query: new GraphQLObjectType({ name: 'Query', fields: { echo: { type: GraphQLString, args: { value: { type: Counted } } } } }),
});
const document = parse('query Echo($v: Counted) { echo(value: $v) }');
const operation = document.definitions[0] as OperationDefinitionNode;

describe('coerceVariables', () => {
  it("reuses the estimate's coercion for the same variables object, and coerces another request's afresh", () => {
    parsed = 0;
    const variables = { v: 'a' };
    expect(estimateOperation(schema, document, 'Echo', variables)).toMatchObject({ upstreamCalls: 0 });
    const afterEstimate = parsed; // the estimate's own coercion, and Pothos complexity's inside it
    expect(afterEstimate).toBeGreaterThan(0);
    expect(coerceVariables(schema, operation, variables).coerced).toEqual({ v: 'a' });
    expect(parsed).toBe(afterEstimate);
    expect(coerceVariables(schema, operation, { v: 'a' }).coerced).toEqual({ v: 'a' });
    expect(parsed).toBe(afterEstimate + 1);
  });

  it('does not keep what it was not asked to keep', () => {
    parsed = 0;
    const variables = { v: 'b' };
    coerceVariables(schema, operation, variables);
    coerceVariables(schema, operation, variables);
    expect(parsed).toBe(2);
  });
});
