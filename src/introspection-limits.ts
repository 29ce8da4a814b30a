// Introspection under the limits: its exact cost (the values it would return, counted over this schema) and one introspection per document.
//
// Pothos complexity prices `__schema` and `__type` as one field each, so aliases could multiply a 200 KB answer at
// no cost. Here an introspection selection is priced by walking it over the schema itself, as graphql-js would resolve
// it, counting one per field value (lists count each item's fields): GraphiQL's full introspection of this schema is
// about 9,000, within MAX_COST; three aliased copies of every type are not. Deprecated fields and values are counted
// whatever `includeDeprecated` says (an upper bound). The walk visits what execution would, without executing.
import {
  type FieldNode,
  type FragmentDefinitionNode,
  GraphQLError,
  type GraphQLField,
  type GraphQLInputField,
  type GraphQLArgument,
  type GraphQLNamedType,
  type GraphQLSchema,
  type GraphQLType,
  type GraphQLDirective,
  type GraphQLEnumValue,
  type ASTVisitor,
  type SelectionSetNode,
  type ValidationContext,
  Kind,
  isAbstractType,
  isEnumType,
  isInputObjectType,
  isInterfaceType,
  isListType,
  isNonNullType,
  isObjectType,
  valueFromASTUntyped,
} from 'graphql';

/** The code of a document with more than one introspection. */
export const INTROSPECTION_LIMIT_CODE = 'INTROSPECTION_LIMIT_EXCEEDED';
const INTROSPECTION_ROOTS = new Set(['__schema', '__type']);

type Meta =
  | { kind: '__Schema' }
  | { kind: '__Type'; type: GraphQLType }
  | { kind: '__Field'; field: GraphQLField<unknown, unknown> }
  | { kind: '__InputValue'; value: GraphQLArgument | GraphQLInputField }
  | { kind: '__EnumValue'; value: GraphQLEnumValue }
  | { kind: '__Directive'; directive: GraphQLDirective };

interface Walk {
  schema: GraphQLSchema;
  fragments: Readonly<Record<string, FragmentDefinitionNode>>;
  variables: Readonly<Record<string, unknown>>;
  /** Fragment names on the current path: a cycle (refused by validation anyway) is not followed. */
  visiting: Set<string>;
}

const typeOf = (type: GraphQLType | null | undefined): Meta | null => (type ? { kind: '__Type', type } : null);

/** What a field of an introspection object resolves to: a value with fields, a list of them, or a leaf (null). */
function resolve(walk: Walk, parent: Meta, name: string): Meta | Meta[] | null {
  const { schema } = walk;
  switch (parent.kind) {
    case '__Schema':
      if (name === 'types') return Object.values(schema.getTypeMap()).map((type) => ({ kind: '__Type', type }));
      if (name === 'queryType') return typeOf(schema.getQueryType());
      if (name === 'mutationType') return typeOf(schema.getMutationType());
      if (name === 'subscriptionType') return typeOf(schema.getSubscriptionType());
      if (name === 'directives') return schema.getDirectives().map((directive) => ({ kind: '__Directive', directive }));
      return null;
    case '__Type': {
      const { type } = parent;
      if (name === 'ofType') return isListType(type) || isNonNullType(type) ? typeOf(type.ofType) : null;
      const named = type as GraphQLNamedType;
      if (name === 'fields' && (isObjectType(named) || isInterfaceType(named))) {
        return Object.values(named.getFields()).map((field) => ({ kind: '__Field', field }));
      }
      if (name === 'interfaces' && (isObjectType(named) || isInterfaceType(named))) return named.getInterfaces().map((i) => ({ kind: '__Type', type: i }));
      if (name === 'possibleTypes' && isAbstractType(named)) return schema.getPossibleTypes(named).map((t) => ({ kind: '__Type', type: t }));
      if (name === 'enumValues' && isEnumType(named)) return named.getValues().map((value) => ({ kind: '__EnumValue', value }));
      if (name === 'inputFields' && isInputObjectType(named)) return Object.values(named.getFields()).map((value) => ({ kind: '__InputValue', value }));
      return null;
    }
    case '__Field':
      if (name === 'args') return parent.field.args.map((value) => ({ kind: '__InputValue', value }));
      if (name === 'type') return typeOf(parent.field.type);
      return null;
    case '__InputValue':
      return name === 'type' ? typeOf(parent.value.type) : null;
    case '__Directive':
      return name === 'args' ? parent.directive.args.map((value) => ({ kind: '__InputValue', value })) : null;
    default:
      return null;
  }
}

/** The values `selectionSet` returns on `value`: one per field, plus what each field's sub-selection returns. */
function countSelection(walk: Walk, selectionSet: SelectionSetNode, value: Meta): number {
  let total = 0;
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) {
      total += 1;
      if (!selection.selectionSet) continue;
      const child = resolve(walk, value, selection.name.value);
      const children = child === null ? [] : Array.isArray(child) ? child : [child];
      for (const item of children) total += countSelection(walk, selection.selectionSet, item);
    } else if (selection.kind === Kind.INLINE_FRAGMENT) {
      total += countSelection(walk, selection.selectionSet, value);
    } else {
      const name = selection.name.value;
      const fragment = walk.fragments[name];
      if (!fragment || walk.visiting.has(name)) continue;
      walk.visiting.add(name);
      total += countSelection(walk, fragment.selectionSet, value);
      walk.visiting.delete(name);
    }
  }
  return total;
}

/** The named type `__type(name:)` asks for, when its argument (a literal or a variable) names one. */
function typeNamed(walk: Walk, field: FieldNode): Meta | null {
  const argument = field.arguments?.find((arg) => arg.name.value === 'name');
  const name = argument ? valueFromASTUntyped(argument.value, walk.variables) : undefined;
  return typeof name === 'string' ? typeOf(walk.schema.getType(name)) : null;
}

/**
 * The cost of an introspection root field (`__schema` or `__type`) of the operation: the field itself plus every
 * value it would return over `schema`. Zero for any other field.
 */
export function introspectionCost(
  schema: GraphQLSchema,
  field: FieldNode,
  fragments: Readonly<Record<string, FragmentDefinitionNode>>,
  variables: Readonly<Record<string, unknown>>,
): number {
  if (!INTROSPECTION_ROOTS.has(field.name.value) || !field.selectionSet) return 0;
  const walk: Walk = { schema, fragments, variables, visiting: new Set() };
  const root = field.name.value === '__schema' ? ({ kind: '__Schema' } as const) : typeNamed(walk, field);
  return 1 + (root === null ? 0 : countSelection(walk, field.selectionSet, root));
}

/** Every root field of `selectionSet`, fragments and inline fragments flattened (cycles not followed). */
function rootFields(selectionSet: SelectionSetNode, fragments: Readonly<Record<string, FragmentDefinitionNode>>, seen = new Set<string>()): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of selectionSet.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...rootFields(selection.selectionSet, fragments, seen));
    else {
      const fragment = fragments[selection.name.value];
      if (!fragment || seen.has(fragment.name.value)) continue;
      seen.add(fragment.name.value);
      fields.push(...rootFields(fragment.selectionSet, fragments, seen));
    }
  }
  return fields;
}

/** The root fields of an operation (exported for the estimate, which prices each introspection root). */
export { rootFields as operationRootFields };

/**
 * A validation rule: at most one introspection root field (`__schema` or `__type`, aliases included) in the whole
 * document. GraphiQL, codegen and routers send one; more is someone multiplying the answer.
 */
export function maxIntrospectionRule(message: string) {
  return (context: ValidationContext): ASTVisitor => ({
    Document(document) {
      const fragments: Record<string, FragmentDefinitionNode> = {};
      for (const d of document.definitions) if (d.kind === Kind.FRAGMENT_DEFINITION) fragments[d.name.value] = d;
      let count = 0;
      for (const d of document.definitions) {
        if (d.kind !== Kind.OPERATION_DEFINITION) continue;
        count += rootFields(d.selectionSet, fragments).filter((field) => INTROSPECTION_ROOTS.has(field.name.value)).length;
      }
      if (count > 1) context.reportError(new GraphQLError(message, { extensions: { code: INTROSPECTION_LIMIT_CODE } }));
      return false;
    },
  });
}
