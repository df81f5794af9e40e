import Joi from 'joi';
import { codePointLength } from './lengths.js';

/**
 * Bounded user text measured in characters (Unicode code points), as JSON Schema's
 * minLength/maxLength and PostgreSQL's varchar(n) measure it. joi's own `min`/`max` count
 * UTF-16 code units, so an emoji counts twice there and a title the documented schema and the
 * database accept would be refused (ADR 180).
 */

export { codePointLength, truncateCodePoints } from './lengths.js';

interface LengthRule {
  name: string;
  operator: '<=' | '>=';
  args: { limit: number };
}

// A string type with one extra rule. The rule is added under the name `min`/`max` so that
// `describe()` — and with it joi-to-json's minLength/maxLength — and the error types
// (`string.min`/`string.max`, "… characters long") are the ones joi's own rules give.
const Text = Joi.extend((joi) => ({
  type: 'string',
  base: joi.string(),
  rules: {
    codePointLength: {
      method: false,
      args: [
        {
          name: 'limit',
          assert: (limit: unknown) => Number.isSafeInteger(limit) && (limit as number) >= 0,
          message: 'must be a non-negative integer',
        },
      ],
      validate(
        value: string,
        helpers: Joi.CustomHelpers,
        { limit }: { limit: number },
        { name, operator, args }: LengthRule,
      ) {
        const length = codePointLength(value);
        if (operator === '<=' ? length <= limit : length >= limit) return value;
        return helpers.error(`string.${name}`, { limit: args.limit, value });
      },
    },
  },
})) as Joi.Root;

/** The rule-adding hook joi types leave out of `StringSchema`. */
type WithAddRule = Joi.StringSchema & {
  $_addRule(rule: {
    name: string;
    method: string;
    args: { limit: number };
    operator: string;
  }): Joi.StringSchema;
};

/**
 * A string of at most `max` characters (and at least `min`, when given), counted in code
 * points. Use it for every bounded piece of user text instead of `Joi.string().min().max()`.
 */
export function text(limits: { min?: number; max: number }): Joi.StringSchema {
  let schema = Text.string() as WithAddRule;
  if (limits.min !== undefined) {
    schema = schema.$_addRule({
      name: 'min',
      method: 'codePointLength',
      args: { limit: limits.min },
      operator: '>=',
    }) as WithAddRule;
  }
  return schema.$_addRule({
    name: 'max',
    method: 'codePointLength',
    args: { limit: limits.max },
    operator: '<=',
  });
}
