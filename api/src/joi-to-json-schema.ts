import type Joi from 'joi';

/**
 * A small joi → JSON Schema (draft 2020-12, the dialect of OpenAPI 3.1) converter, built on
 * `schema.describe()`. It covers what `@todo/contracts` uses; anything it cannot express
 * exactly it states in `description` rather than silently dropping.
 */

/** A JSON Schema object (draft 2020-12). */
export interface JsonSchema {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema | false;
  description?: string;
  [keyword: string]: unknown;
}

/** The parts of joi's `describe()` output the converter reads. */
interface JoiDescription {
  type: string;
  flags?: {
    presence?: 'required' | 'optional' | 'forbidden';
    default?: unknown;
    only?: boolean;
    format?: string | string[];
    description?: string;
    unknown?: boolean;
    match?: 'any' | 'one' | 'all';
  };
  rules?: { name: string; args?: Record<string, unknown> }[];
  allow?: unknown[];
  invalid?: unknown[];
  keys?: Record<string, JoiDescription>;
  items?: JoiDescription[];
  ordered?: JoiDescription[];
  matches?: { schema?: JoiDescription }[];
  dependencies?: { rel: string; key?: string | null; peers: string[] }[];
  whens?: JoiWhen[];
  examples?: unknown[];
  notes?: string[];
  preferences?: { messages?: Record<string, string> };
}

interface JoiWhen {
  ref?: { path: string[]; ancestor?: number };
  is?: JoiDescription;
  then?: JoiDescription;
  otherwise?: JoiDescription;
  switch?: unknown[];
}

export interface ConvertOptions {
  /**
   * Whether objects accept keys they do not declare when the schema says nothing. The api
   * validates with `allowUnknown: false`, so the default is false (`additionalProperties: false`).
   */
  allowUnknown?: boolean;
}

/** Converts a joi schema to a JSON Schema (2020-12). */
export function joiToJsonSchema(schema: Joi.Schema, options: ConvertOptions = {}): JsonSchema {
  return convert(schema.describe() as JoiDescription, {
    allowUnknown: options.allowUnknown ?? false,
  });
}

interface Context {
  allowUnknown: boolean;
}

const isObjectLike = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** joi's "special" allow entries (e.g. `{override: true}`) are not values. */
const realValues = (values: unknown[] | undefined): unknown[] =>
  (values ?? []).filter((v) => !(isObjectLike(v) && 'override' in v));

/** `{{#label}} must be …` → `must be …`. */
const cleanMessage = (message: string): string => {
  const labelled = /^\{\{#label\}\}\s*/.test(message);
  const text = message.replace(/\{\{#label\}\}\s*/g, '').replace(/\{\{[^}]*\}\}/g, '…');
  return labelled ? text.charAt(0).toUpperCase() + text.slice(1) : text;
};

function convert(desc: JoiDescription, ctx: Context): JsonSchema {
  const notes: string[] = [];
  let schema: JsonSchema;
  switch (desc.type) {
    case 'string':
      schema = stringSchema(desc, notes);
      break;
    case 'number':
      schema = numberSchema(desc, notes);
      break;
    case 'boolean':
      schema = { type: 'boolean' };
      break;
    case 'date':
      schema = dateSchema(desc, notes);
      break;
    case 'array':
      schema = arraySchema(desc, ctx, notes);
      break;
    case 'object':
      schema = objectSchema(desc, ctx, notes);
      break;
    case 'alternatives': {
      const options = (desc.matches ?? [])
        .map((m) => (m.schema ? convert(m.schema, ctx) : undefined))
        .filter((s): s is JsonSchema => s !== undefined);
      schema = desc.flags?.match === 'one' ? { oneOf: options } : { anyOf: options };
      if ((desc.matches ?? []).some((m) => !m.schema))
        notes.push('some alternatives are conditional and are not expressed here');
      break;
    }
    case 'any':
      schema = {};
      break;
    default:
      schema = {};
      notes.push(`a joi ${desc.type} value`);
  }

  schema = applyValues(schema, desc);

  const flags = desc.flags ?? {};
  if (flags.default !== undefined && typeof flags.default !== 'function')
    schema.default = flags.default;
  if (desc.examples?.length) schema.examples = desc.examples;
  const description = [flags.description, ...(desc.notes ?? []), ...notes]
    .filter((s): s is string => Boolean(s))
    .join(' ');
  if (description) schema.description = description;
  return schema;
}

/**
 * `valid()` → enum; `allow(null)` → a "null" type; other `allow()` values → anyOf;
 * `invalid()` → not enum.
 */
function applyValues(base: JsonSchema, desc: JoiDescription): JsonSchema {
  const refused = realValues(desc.invalid);
  const schema: JsonSchema = !refused.length
    ? base
    : 'not' in base
      ? { allOf: [base, { not: { enum: refused } }] }
      : { ...base, not: { enum: refused } };
  const values = realValues(desc.allow);
  if (!values.length) return schema;
  const allowsNull = values.includes(null);
  const others = values.filter((v) => v !== null);
  if (desc.flags?.only) {
    const result: JsonSchema = { ...schema, enum: values };
    if (allowsNull) result.type = withNull(schema.type);
    return result;
  }
  let result = schema;
  // A "null" type beside oneOf/if/not would make null meet (or fail) those vacuously: branch.
  const composed = ['allOf', 'anyOf', 'oneOf', 'if', 'not'].some((k) => k in schema);
  if (allowsNull)
    result =
      composed || !schema.type
        ? { anyOf: [schema, { type: 'null' }] }
        : { ...schema, type: withNull(schema.type) };
  // `allow('')` on a string with no length/pattern limit is already accepted by the base.
  const absorbed = (v: unknown) =>
    v === '' && schema.type === 'string' && !schema.minLength && !schema.pattern;
  const extra = others.filter((v) => !absorbed(v));
  if (extra.length) result = { anyOf: [result, { enum: extra }] };
  return result;
}

function withNull(type: string | string[] | undefined): string[] {
  const types = type === undefined ? [] : Array.isArray(type) ? type : [type];
  return types.includes('null') ? types : [...types, 'null'];
}

const limit = (args: Record<string, unknown> | undefined): number | undefined => {
  const value = args?.limit;
  return typeof value === 'number' ? value : undefined;
};

function stringSchema(desc: JoiDescription, notes: string[]): JsonSchema {
  const schema: JsonSchema = { type: 'string' };
  const messages = desc.preferences?.messages ?? {};
  for (const rule of desc.rules ?? []) {
    switch (rule.name) {
      case 'min':
        schema.minLength = limit(rule.args);
        break;
      case 'max':
        schema.maxLength = limit(rule.args);
        break;
      case 'length':
        schema.minLength = schema.maxLength = limit(rule.args);
        break;
      case 'pattern': {
        const regex = rule.args?.regex;
        if (typeof regex === 'string') schema.pattern = toEcmaPattern(regex);
        const invert = isObjectLike(rule.args?.options) && rule.args.options.invert === true;
        if (invert) {
          delete schema.pattern;
          schema.not = { pattern: typeof regex === 'string' ? toEcmaPattern(regex) : '' };
        }
        const message = messages['string.pattern.base'];
        if (message) notes.push(cleanMessage(message) + '.');
        break;
      }
      case 'guid':
        schema.format = 'uuid';
        break;
      case 'isoDate':
        schema.format = 'date-time';
        break;
      case 'email':
        schema.format = 'email';
        break;
      case 'uri':
        schema.format = 'uri';
        break;
      case 'trim':
        if (rule.args?.enabled !== false) notes.push('Leading and trailing spaces are trimmed.');
        break;
      case 'case':
        notes.push(`Converted to ${String(rule.args?.direction)} case.`);
        break;
      case 'custom': {
        const message = messages['any.invalid'];
        notes.push(message ? cleanMessage(message) + '.' : 'Checked by a custom rule.');
        break;
      }
      default:
        notes.push(`joi rule "${rule.name}" applies.`);
    }
  }
  return schema;
}

function numberSchema(desc: JoiDescription, notes: string[]): JsonSchema {
  const schema: JsonSchema = { type: 'number' };
  for (const rule of desc.rules ?? []) {
    switch (rule.name) {
      case 'integer':
        schema.type = 'integer';
        break;
      case 'min':
        schema.minimum = limit(rule.args);
        break;
      case 'max':
        schema.maximum = limit(rule.args);
        break;
      case 'greater':
        schema.exclusiveMinimum = limit(rule.args);
        break;
      case 'less':
        schema.exclusiveMaximum = limit(rule.args);
        break;
      case 'multiple': {
        const base = rule.args?.base;
        if (typeof base === 'number') schema.multipleOf = base;
        break;
      }
      case 'sign':
        if (rule.args?.sign === 'positive') schema.exclusiveMinimum = 0;
        else schema.exclusiveMaximum = 0;
        break;
      default:
        notes.push(`joi rule "${rule.name}" applies.`);
    }
  }
  return schema;
}

function dateSchema(desc: JoiDescription, notes: string[]): JsonSchema {
  const format = desc.flags?.format;
  const schema: JsonSchema =
    format === 'javascript' || format === 'unix'
      ? { type: 'number', description: `a ${format} timestamp` }
      : { type: 'string', format: 'date-time' };
  if (format !== 'iso' && format !== 'javascript' && format !== 'unix')
    notes.push('Any date joi can parse; send ISO 8601.');
  const messages = desc.preferences?.messages ?? {};
  const day = (value: unknown) =>
    typeof value === 'string' || value instanceof Date
      ? new Date(value).toISOString().slice(0, 10)
      : String(value);
  for (const rule of desc.rules ?? []) {
    const date = rule.args?.date;
    switch (rule.name) {
      case 'min':
        notes.push(`Not before ${day(date)}.`);
        break;
      case 'max':
        notes.push(`Not after ${day(date)}.`);
        break;
      case 'custom': {
        const message = messages['any.invalid'];
        notes.push(message ? cleanMessage(message) + '.' : 'Checked by a custom rule.');
        break;
      }
      default:
        notes.push(`joi date rule "${rule.name}" applies.`);
    }
  }
  return schema;
}

function arraySchema(desc: JoiDescription, ctx: Context, notes: string[]): JsonSchema {
  const schema: JsonSchema = { type: 'array' };
  const items = (desc.items ?? []).map((item) => convert(item, ctx));
  if (items.length === 1) schema.items = items[0];
  else if (items.length > 1) schema.items = { anyOf: items };
  if (desc.ordered?.length) {
    schema.prefixItems = desc.ordered.map((item) => convert(item, ctx));
    if (!items.length) schema.items = false;
  }
  for (const rule of desc.rules ?? []) {
    switch (rule.name) {
      case 'min':
        schema.minItems = limit(rule.args);
        break;
      case 'max':
        schema.maxItems = limit(rule.args);
        break;
      case 'length':
        schema.minItems = schema.maxItems = limit(rule.args);
        break;
      case 'unique':
        schema.uniqueItems = true;
        break;
      default:
        notes.push(`joi rule "${rule.name}" applies.`);
    }
  }
  return schema;
}

function objectSchema(desc: JoiDescription, ctx: Context, notes: string[]): JsonSchema {
  const schema: JsonSchema = { type: 'object' };
  const conditions: JsonSchema[] = [];
  if (desc.keys) {
    const properties: Record<string, JsonSchema> = {};
    const required: string[] = [];
    for (const [key, child] of Object.entries(desc.keys)) {
      const presence = child.flags?.presence;
      if (presence === 'forbidden') continue;
      properties[key] = convert(child, ctx);
      if (presence === 'required') required.push(key);
      for (const when of child.whens ?? []) {
        const condition = whenCondition(key, when, ctx);
        if (condition) {
          conditions.push(condition.schema);
          properties[key] = appendDescription(properties[key], condition.text);
        } else {
          properties[key] = appendDescription(
            properties[key],
            'Further conditional rules apply (see the error details of a 400).',
          );
        }
      }
    }
    schema.properties = properties;
    if (required.length) schema.required = required;
    const unknown = desc.flags?.unknown ?? ctx.allowUnknown;
    if (!unknown) schema.additionalProperties = false;
  }
  for (const rule of desc.rules ?? []) {
    switch (rule.name) {
      case 'min':
        schema.minProperties = limit(rule.args);
        break;
      case 'max':
        schema.maxProperties = limit(rule.args);
        break;
      case 'length':
        schema.minProperties = schema.maxProperties = limit(rule.args);
        break;
      default:
        notes.push(`joi rule "${rule.name}" applies.`);
    }
  }
  const dependentRequired: Record<string, string[]> = {};
  for (const dependency of desc.dependencies ?? []) {
    const { rel, peers, key } = dependency;
    const requires = (names: string[]) => names.map((name) => ({ required: [name] }));
    switch (rel) {
      case 'and':
        for (const peer of peers) dependentRequired[peer] = peers.filter((p) => p !== peer);
        notes.push(`${listOf(peers)} must be sent together or not at all.`);
        break;
      case 'xor':
        conditions.push({ oneOf: requires(peers) });
        notes.push(`Exactly one of ${listOf(peers)} is required.`);
        break;
      case 'or':
        conditions.push({ anyOf: requires(peers) });
        notes.push(`At least one of ${listOf(peers)} is required.`);
        break;
      case 'oxor':
        conditions.push({ not: { anyOf: pairs(peers).map((pair) => ({ required: pair })) } });
        notes.push(`At most one of ${listOf(peers)} may be sent.`);
        break;
      case 'nand':
        conditions.push({ not: { required: peers } });
        notes.push(`${listOf(peers)} must not all be sent together.`);
        break;
      case 'with':
        if (key) dependentRequired[key] = [...(dependentRequired[key] ?? []), ...peers];
        break;
      case 'without':
        if (key)
          conditions.push({ if: { required: [key] }, then: { not: { anyOf: requires(peers) } } });
        break;
      default:
        notes.push(`joi dependency "${rel}" between ${listOf(peers)} applies.`);
    }
  }
  if (Object.keys(dependentRequired).length) schema.dependentRequired = dependentRequired;
  if (conditions.length === 1) Object.assign(schema, conditions[0]);
  else if (conditions.length > 1) schema.allOf = conditions;
  return schema;
}

/**
 * A key's `when()` on a sibling key with fixed values becomes an object-level if/then/else
 * (2020-12). Returns undefined when the condition is not of that shape.
 */
function whenCondition(
  key: string,
  when: JoiWhen,
  ctx: Context,
): { schema: JsonSchema; text: string } | undefined {
  const path = when.ref?.path;
  if (when.switch || !path || path.length !== 1 || (when.ref?.ancestor ?? 1) !== 1) return;
  const sibling = path[0] as string;
  const values = when.is?.flags?.only ? realValues(when.is.allow) : [];
  if (!values.length) return;
  const branch = (desc: JoiDescription | undefined): { schema: JsonSchema; text: string } => {
    if (!desc) return { schema: {}, text: '' };
    const presence = desc.flags?.presence;
    const onlyPresence =
      desc.type === 'any' && !desc.rules?.length && !realValues(desc.allow).length;
    const schema: JsonSchema = {};
    const text: string[] = [];
    if (!onlyPresence) {
      schema.properties = { [key]: convert(desc, ctx) };
      text.push('has further constraints');
    }
    if (presence === 'required') {
      schema.required = [key];
      text.unshift('required');
    } else if (presence === 'forbidden') {
      schema.not = { required: [key] };
      text.unshift('not allowed');
    }
    return { schema, text: text.join(' and ') };
  };
  const then = branch(when.then);
  const otherwise = branch(when.otherwise);
  const schema: JsonSchema = {
    if: {
      properties: { [sibling]: values.length === 1 ? { const: values[0] } : { enum: values } },
      required: [sibling],
    },
  };
  if (Object.keys(then.schema).length) schema.then = then.schema;
  if (Object.keys(otherwise.schema).length) schema.else = otherwise.schema;
  const shown = values.map((v) => JSON.stringify(v)).join(' or ');
  const text = [
    then.text && `${capitalize(then.text)} when ${sibling} is ${shown}`,
    otherwise.text &&
      `${then.text ? 'otherwise' : `When ${sibling} is not ${shown},`} ${otherwise.text}`,
  ]
    .filter(Boolean)
    .join('; ');
  return { schema, text: text ? `${text}.` : '' };
}

function appendDescription(schema: JsonSchema | undefined, text: string): JsonSchema {
  const base = schema ?? {};
  if (!text) return base;
  return { ...base, description: base.description ? `${base.description} ${text}` : text };
}

const capitalize = (text: string) => text.charAt(0).toUpperCase() + text.slice(1);

const listOf = (names: string[]) =>
  names.length <= 2 ? names.join(' and ') : `${names.slice(0, -1).join(', ')} and ${names.at(-1)}`;

function pairs(names: string[]): string[][] {
  const result: string[][] = [];
  for (let i = 0; i < names.length; i++)
    for (let j = i + 1; j < names.length; j++)
      result.push([names[i] as string, names[j] as string]);
  return result;
}

/**
 * joi describes a RegExp as its literal (`/^a+$/i`). JSON Schema patterns are bare ECMA-262
 * sources without flags, so the `i` flag is spelled out as `[aA]` classes.
 */
export function toEcmaPattern(literal: string): string {
  const match = /^\/([\s\S]*)\/([a-z]*)$/.exec(literal);
  if (!match) return literal;
  const source = match[1] as string;
  const flags = match[2] as string;
  return flags.includes('i') ? caseInsensitive(source) : source;
}

function caseInsensitive(source: string): string {
  const other = (c: string) => (c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase());
  const isLetter = (c: string | undefined) => c !== undefined && /[a-z]/i.test(c);
  let out = '';
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i] as string;
    if (c === '\\') {
      out += c + (source[i + 1] ?? '');
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') {
        inClass = false;
        out += c;
      } else if (isLetter(c) && source[i + 1] === '-' && isLetter(source[i + 2])) {
        const end = source[i + 2] as string;
        out += `${c}-${end}${other(c)}-${other(end)}`;
        i += 2;
      } else if (isLetter(c)) {
        out += c + other(c);
      } else {
        out += c;
      }
      continue;
    }
    if (c === '[') {
      inClass = true;
      out += c;
      if (source[i + 1] === '^') {
        out += '^';
        i++;
      }
    } else if (isLetter(c)) {
      out += `[${c}${other(c)}]`;
    } else {
      out += c;
    }
  }
  return out;
}
