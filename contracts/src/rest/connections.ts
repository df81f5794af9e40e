import Joi from 'joi';
import { text } from '../text.js';
import { uuid } from './common.js';

/**
 * Ways into a user's tasks other than the app: personal access tokens (scripts, assistants)
 * and the private calendar feed URL. Both secrets are shown once, when made; the server keeps
 * only their SHA-256.
 */

export const ACCESS_TOKEN_SCOPES = ['read', 'write'] as const;
/** `read`: GET only; `write`: everything a signed-in user may do except managing tokens. */
export type AccessTokenScope = (typeof ACCESS_TOKEN_SCOPES)[number];

/** Every personal access token starts with this, so scanners and people can recognise one. */
export const ACCESS_TOKEN_PREFIX = 'todo_pat_';
/** Every calendar feed token starts with this. */
export const CALENDAR_TOKEN_PREFIX = 'todo_cal_';
export const ACCESS_TOKEN_NAME_MAX = 100;
/** How many live tokens one user may hold. */
export const ACCESS_TOKENS_MAX = 50;

/** A token as listed: never the secret, only its first characters to tell tokens apart. */
export interface PersonalAccessToken {
  id: string;
  name: string;
  scope: AccessTokenScope;
  /** The token's first characters (`todo_pat_AbCd`), to recognise it. */
  hint: string;
  createdAt: string;
  /** Last time it authenticated a request (updated at most once a minute), or null. */
  lastUsedAt: string | null;
}

/** The answer to creating a token: the only time the secret is shown. */
export interface CreatedPersonalAccessToken extends PersonalAccessToken {
  token: string;
}

export interface PersonalAccessTokenList {
  items: PersonalAccessToken[];
}

export interface CreateAccessTokenRequest {
  name: string;
  scope: AccessTokenScope;
}

export const createAccessTokenSchema = Joi.object<CreateAccessTokenRequest>({
  name: text({ min: 1, max: ACCESS_TOKEN_NAME_MAX })
    .trim()
    .required()
    .description('What the token is for, e.g. "Laptop script".'),
  scope: Joi.string()
    .valid(...ACCESS_TOKEN_SCOPES)
    .required()
    .description('"read" may only read (GET); "write" may also change tasks.'),
});

export const accessTokenIdParamsSchema = Joi.object<{ id: string }>({
  id: uuid.required().description('The token’s id.'),
});

const dateTime = Joi.string().isoDate();

const accessTokenKeys = {
  id: Joi.string().guid(),
  name: Joi.string(),
  scope: Joi.string().valid(...ACCESS_TOKEN_SCOPES),
  hint: Joi.string().description('The token’s first characters, to recognise it.'),
  createdAt: dateTime,
  lastUsedAt: dateTime
    .allow(null)
    .description('Last use, precise to about a minute; null = never used.'),
};

export const personalAccessTokenSchema = Joi.object<PersonalAccessToken>(accessTokenKeys)
  .prefs({ presence: 'required' })
  .id('PersonalAccessToken')
  .description('A personal access token, without its secret.');

export const createdPersonalAccessTokenSchema = Joi.object<CreatedPersonalAccessToken>({
  ...accessTokenKeys,
  token: Joi.string().description(
    'The secret, shown only now: send it as `Authorization: Bearer <token>`.',
  ),
})
  .prefs({ presence: 'required' })
  .id('CreatedPersonalAccessToken')
  .description('A new personal access token with its secret (shown once).');

export const personalAccessTokenListSchema = Joi.object<PersonalAccessTokenList>({
  items: Joi.array().items(personalAccessTokenSchema).required(),
})
  .id('PersonalAccessTokenList')
  .description('The user’s tokens, newest first.');

/** Whether the user has a calendar feed; its URL is only shown when it is made. */
export interface CalendarFeed {
  active: boolean;
  createdAt: string | null;
  /** Last time a calendar app fetched it (updated at most once a minute), or null. */
  lastUsedAt: string | null;
}

/** A new (or regenerated) feed: the only time its URL is shown. */
export interface CreatedCalendarFeed extends CalendarFeed {
  /** `https://…/cal/todo_cal_….ics`; add `?format=event` for calendars that ignore to-dos. */
  url: string;
}

const calendarFeedKeys = {
  active: Joi.boolean(),
  createdAt: dateTime.allow(null),
  lastUsedAt: dateTime.allow(null).description('Last fetch by a calendar app; null = never.'),
};

export const calendarFeedSchema = Joi.object<CalendarFeed>(calendarFeedKeys)
  .prefs({ presence: 'required' })
  .id('CalendarFeed')
  .description('The private calendar feed, without its secret URL.');

export const createdCalendarFeedSchema = Joi.object<CreatedCalendarFeed>({
  ...calendarFeedKeys,
  url: Joi.string()
    .uri()
    .description(
      'The private feed URL, shown only now. Add ?format=event for calendars that ignore to-dos.',
    ),
})
  .prefs({ presence: 'required' })
  .id('CreatedCalendarFeed')
  .description('A new calendar feed with its private URL (shown once).');

export const CALENDAR_FEED_FORMATS = ['todo', 'event'] as const;
export type CalendarFeedFormat = (typeof CALENDAR_FEED_FORMATS)[number];

export const calendarFeedQuerySchema = Joi.object<{ format: CalendarFeedFormat }>({
  format: Joi.string()
    .valid(...CALENDAR_FEED_FORMATS)
    .default('todo')
    .description(
      '"todo" (VTODO, the default) or "event" (VEVENT) for calendars that ignore to-dos.',
    ),
});
