// The body field table: it names every field of the content types, and for every entry the wire write, the output read and the 422 path mapping agree.
import {
  type GraphQLInputObjectType,
  type GraphQLObjectType,
  type GraphQLSchema,
  type GraphQLUnionType,
  getNamedType,
  isInputObjectType,
  isObjectType,
  isUnionType,
} from 'graphql';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  CHOICES,
  type ChoiceName,
  type FieldSpec,
  type ObjectName,
  bodyInputPath,
  fieldsOf,
  kindsOf,
  readField,
  readPath,
} from '../../src/schema/body-fields.ts';
import type { MessageContentInputShape } from '../../src/schema/content-input.ts';
import { toWireContent } from '../../src/schema/content-wire.ts';
import { buildSchema } from '../../src/schema/index.ts';
import { inputPathFromBird } from '../../src/schema/send.ts';

let schema: GraphQLSchema;
beforeAll(() => {
  schema = buildSchema();
});

const CHOICE_UNIONS: Record<ChoiceName, string> = { body: 'MessageContent', action: 'MessageAction' };

describe('the table names every field of the content inputs, and only fields the outputs have', () => {
  it('from MessageBodyInput down: each input type has exactly the writable fields; its output type has them all', () => {
    const seen = new Set<string>();
    const checkObject = (object: ObjectName, input: GraphQLInputObjectType) => {
      if (seen.has(input.name)) return;
      seen.add(input.name);
      const fields = fieldsOf(object);
      const writable = fields.filter(([, spec]) => !spec.readOnly).map(([name]) => name);
      expect(Object.keys(input.getFields()).sort(), input.name).toEqual([...writable].sort());
      const output = schema.getType(object);
      if (!isObjectType(output)) throw new Error(`${object} is not an output object type`);
      for (const [name, spec] of fields) {
        const outputField = (output as GraphQLObjectType).getFields()[name];
        expect(outputField, `${object}.${name}`).toBeDefined();
        if (typeof spec.value !== 'object') continue;
        const outputType = getNamedType(outputField!.type).name;
        const inputType = getNamedType(input.getFields()[name]?.type ?? input);
        if ('object' in spec.value) {
          expect(outputType, `${object}.${name}`).toBe(spec.value.object);
          if (!spec.readOnly && isInputObjectType(inputType)) checkObject(spec.value.object, inputType);
        } else {
          expect(outputType, `${object}.${name}`).toBe(CHOICE_UNIONS[spec.value.choice]);
          if (isInputObjectType(inputType)) checkChoice(spec.value.choice, inputType);
        }
      }
    };
    const checkChoice = (choice: ChoiceName, input: GraphQLInputObjectType) => {
      const kinds = new Map(kindsOf(choice));
      const union = schema.getType(CHOICE_UNIONS[choice]) as GraphQLUnionType;
      expect(isUnionType(union)).toBe(true);
      for (const [name, field] of Object.entries(input.getFields())) {
        const kind = kinds.get(name);
        expect(kind, `${input.name}.${name}`).toBeDefined();
        expect(union.getTypes().map((type) => type.name)).toContain(kind!.object);
        const kindInput = getNamedType(field.type);
        if (!isInputObjectType(kindInput)) throw new Error(`${input.name}.${name} is not an input object`);
        checkObject(kind!.object, kindInput);
      }
    };
    const body = schema.getType(CHOICES.body.input);
    if (!isInputObjectType(body)) throw new Error('MessageBodyInput is missing');
    expect(Object.keys(body.getFields()).sort()).toEqual(Object.keys(CHOICES.body.kinds).sort());
    checkChoice('body', body);
    expect(seen.size).toBeGreaterThan(20);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Round trip: one field set at a time, at every depth
// ---------------------------------------------------------------------------------------------------------------

const MARK = 'marked value';
const MARK_URL = 'https://cdn.example.com/marked.png';

/** An input holding one field, where its value lands on the wire, and the input path that names it. */
interface Case {
  input: unknown;
  inputPath: string[];
  birdPath: string[];
  wireValue: unknown;
}

function objectCases(object: ObjectName, depth: number): Case[] {
  return fieldsOf(object)
    .filter(([, spec]) => !spec.readOnly)
    .flatMap(([name, spec]) =>
      valueCases(spec, depth).map((c) => ({
        ...c,
        input: { [name]: c.input },
        inputPath: [name, ...c.inputPath],
        birdPath: [...spec.path, ...c.birdPath],
      })),
    );
}

function choiceCases(choice: ChoiceName, depth: number): Case[] {
  return kindsOf(choice).flatMap(([name, kind]) =>
    objectCases(kind.object, depth).map((c) => ({
      ...c,
      input: { [name]: c.input },
      inputPath: [name, ...c.inputPath],
      birdPath: [kind.wire, ...c.birdPath],
    })),
  );
}

function valueCases(spec: FieldSpec, depth: number): Case[] {
  const { value } = spec;
  const single: Case[] =
    value === undefined
      ? [{ input: MARK, inputPath: [], birdPath: [], wireValue: MARK }]
      : value === 'url'
        ? [{ input: new URL(MARK_URL), inputPath: [], birdPath: [], wireValue: MARK_URL }]
        : value === 'pairs'
          ? // A map key is kept as Bird writes it: the input path names the list, Bird's the entry's name.
            [{ input: [{ name: 'X-Mark', value: MARK }], inputPath: ['X-Mark'], birdPath: ['X-Mark'], wireValue: MARK }]
          : depth === 0
            ? []
            : 'object' in value
              ? objectCases(value.object, depth - 1)
              : choiceCases(value.choice, depth - 1);
  if (!spec.list) return single;
  return single.map((c) => ({ ...c, input: [c.input], inputPath: ['0', ...c.inputPath], birdPath: ['0', ...c.birdPath] }));
}

/** Follows an input path through the output readers of the table (readField at every step). */
function readInputPath(choice: ChoiceName, wire: unknown, path: string[]): unknown {
  const [name, ...rest] = path;
  const kind = new Map(kindsOf(choice)).get(name as string);
  if (!kind) throw new Error(`no kind ${name} in ${choice}`);
  return readObjectPath(kind.object, readPath(wire, [kind.wire]), rest);
}

function readObjectPath(object: ObjectName, wire: unknown, path: string[]): unknown {
  const [name, ...rest] = path;
  if (name === undefined) return wire;
  const spec = new Map(fieldsOf(object)).get(name) as FieldSpec;
  const value = (readField as (o: ObjectName, w: unknown, f: string) => unknown)(object, wire, name);
  if (typeof spec.value !== 'object') return readPath(value, rest);
  const [index, ...within] = rest;
  const [at, inner] = spec.list ? [readPath(value, [index as string]), within] : [value, rest];
  return 'object' in spec.value ? readObjectPath(spec.value.object, at, inner) : readInputPath(spec.value.choice, at, inner);
}

describe('every table entry: written at its Bird path, read back by the output, mapped back from a 422 path', () => {
  const cases = choiceCases('body', 4);

  it('covers every field of every table reachable from a body', () => {
    const named = new Set(cases.flatMap((c) => c.inputPath.filter((key) => !/^\d+$/.test(key))));
    for (const [, kind] of kindsOf('body')) {
      for (const [name] of fieldsOf(kind.object).filter(([, spec]) => !spec.readOnly)) expect(named).toContain(name);
    }
    expect(cases.length).toBeGreaterThan(500);
  });

  it.each(kindsOf('body').map(([name]) => name))('%s', (kind) => {
    for (const c of cases.filter((each) => each.inputPath[0] === kind)) {
      const label = c.inputPath.join('.');
      const { body } = toWireContent({ body: c.input } as MessageContentInputShape);
      expect(readPath(body, c.birdPath), label).toEqual(c.wireValue);
      expect(readInputPath('body', body, c.inputPath), label).toEqual(c.wireValue);
      expect(bodyInputPath(c.birdPath), label).toEqual(c.inputPath);
      expect(inputPathFromBird(['body', ...c.birdPath]), label).toEqual(['input', 'content', 'body', ...c.inputPath]);
    }
  });
});

describe("bodyInputPath: Bird paths the table does not name", () => {
  it('a wrapper maps to its one field, or to the object holding its fields', () => {
    expect(bodyInputPath(['list', 'metadata', 'button'])).toEqual(['list', 'buttonLabel']);
    expect(bodyInputPath(['text', 'metadata'])).toEqual(['text']);
    expect(bodyInputPath(['location', 'location'])).toEqual(['location']);
  });

  it('anything else is kept as Bird wrote it', () => {
    expect(bodyInputPath([])).toEqual([]);
    expect(bodyInputPath(['type'])).toEqual(['type']);
    expect(bodyInputPath(['text', 'actions', '0', 'type'])).toEqual(['text', 'actions', '0', 'type']);
    expect(bodyInputPath(['newKind', 'field'])).toEqual(['newKind', 'field']);
  });
});
