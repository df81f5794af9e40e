import { Router } from 'express';
import { calendarFeedQuerySchema } from '@todo/contracts';
import { NotFoundError } from '../../../domain/errors.js';
import { validate } from '../../../domain/validate.js';
import { calendarFile } from '../../../domain/calendar/feed.js';
import type { Services } from '../../../domain/services.js';

/**
 * `GET /cal/{token}.ics`: the private calendar feed. Its secret URL is the credential
 * (calendar apps send no headers of ours); an unknown or revoked one is a 404, the same as
 * a path that never existed.
 */
export function calendarRouter({ connections, queries }: Services): Router {
  const router = Router();
  router.get('/:file', async (req, res) => {
    const match = /^(.+)\.ics$/.exec(req.params.file);
    const userId = match?.[1] ? await connections.feedOwner(match[1]) : null;
    if (!userId) throw new NotFoundError('calendar feed');
    const { format } = validate(calendarFeedQuerySchema, req.query, 'query');
    const { body, etag } = await calendarFile(queries, userId, format);
    // The URL is a secret: no shared cache may keep it; the app may revalidate with the ETag.
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('ETag', etag);
    const ifNoneMatch = req.header('if-none-match');
    if (ifNoneMatch && ifNoneMatch.split(',').some((tag) => tag.trim() === etag)) {
      res.status(304).end();
      return;
    }
    res.type('text/calendar; charset=utf-8').send(body);
  });
  return router;
}
