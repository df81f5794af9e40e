import express, { type Router } from 'express';
import {
  EMAIL_UNSUBSCRIBE_PATH,
  EMAIL_UNSUBSCRIBE_PURPOSE,
  unsubscribeParamsSchema,
} from '@todo/contracts';
import { verifyLinkToken, type Logger } from '@todo/platform';
import { ValidationError } from '../../../domain/errors.js';
import { updatePreferences } from '../../../domain/preferences-service.js';
import { validate } from '../../../domain/validate.js';

/** The unsubscribe link's routes, for the method guard. */
export const unsubscribeRoutes = [
  { path: `${EMAIL_UNSUBSCRIBE_PATH}{token}`, methods: ['GET', 'POST'] },
];

const page = (title: string, inner: string) => `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width">
<title>${title}</title>
<style>body{font:16px/1.5 system-ui,sans-serif;max-width:32rem;margin:4rem auto;padding:0 1rem}
button{font:inherit;padding:.5rem 1rem}</style></head>
<body><h1>${title}</h1>${inner}</body></html>`;

/**
 * One-click unsubscribe from reminder mail (RFC 8058). The link carries a token the workers
 * signed for the user; no sign-in is needed (the mail client POSTs it by itself).
 * - `POST`: email off for that user, through the same preference change (and
 *   `preferences.updated` event) as Settings; answering again is harmless.
 * - `GET`: a page with one button that POSTs (a link opened by a mail scanner changes nothing).
 */
export function unsubscribeRouter(secret: string, logger: Logger): Router {
  const router = express.Router();
  const userOf = (params: unknown): string => {
    const { token } = validate(unsubscribeParamsSchema, params, 'params');
    const userId = verifyLinkToken(secret, EMAIL_UNSUBSCRIBE_PURPOSE, token);
    if (!userId)
      throw new ValidationError('the unsubscribe link is not valid', [
        { field: 'token', message: 'is not a token we signed', type: 'token.invalid' },
      ]);
    return userId;
  };
  const path = `${EMAIL_UNSUBSCRIBE_PATH}:token`;
  router.get(path, (req, res) => {
    userOf(req.params);
    res.type('html').send(
      page(
        'Stop reminder emails?',
        `<p>Reminders will still appear in the app and as push notifications, if those are on.</p>
<form method="post"><button type="submit">Turn off reminder emails</button></form>`,
      ),
    );
  });
  // The body (`List-Unsubscribe=One-Click`, form-encoded) is not needed: the token says who.
  router.post(path, async (req, res) => {
    const userId = userOf(req.params);
    await updatePreferences(userId, { emailEnabled: false });
    logger.info({ userId }, 'reminder email turned off from the unsubscribe link');
    res
      .type('html')
      .send(
        page(
          'Reminder emails are off',
          '<p>You will get no more reminder emails. Turn them back on in Settings at any time.</p>',
        ),
      );
  });
  return router;
}
