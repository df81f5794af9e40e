import Joi from 'joi';

/** Reusable joi pieces shared by several REST schemas. */
export const uuid = Joi.string().guid({ version: ['uuidv4', 'uuidv5', 'uuidv7'] });

/** An ISO 8601 timestamp; joi converts it to a Date during validation. */
export const isoDate = Joi.date().iso();

/** IANA time zone names accepted by the runtime (e.g. `Europe/Berlin`). */
export function isValidTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

export const timeZone = Joi.string()
  .max(64)
  .custom((value: string, helpers) =>
    isValidTimeZone(value) ? value : helpers.error('any.invalid'),
  )
  .messages({ 'any.invalid': '{{#label}} must be an IANA time zone such as "Europe/Berlin"' });

/** `HH:MM`, 24-hour clock. */
export const clockTime = Joi.string()
  .pattern(/^([01]\d|2[0-3]):[0-5]\d$/)
  .messages({ 'string.pattern.base': '{{#label}} must be a time of day as HH:MM (24-hour)' });

/** Options every request schema is validated with: name every bad field, reject unknown ones. */
export const validationOptions: Joi.ValidationOptions = {
  abortEarly: false,
  allowUnknown: false,
  stripUnknown: false,
  convert: true,
  errors: { wrap: { label: false } },
};
