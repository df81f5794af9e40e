import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { DAPR_APP_TOKEN_HEADER } from '@todo/contracts';

const digest = (value: string) => createHash('sha256').update(value).digest();

/**
 * Admits only callers presenting the app API token (Dapr's `dapr-api-token` header): the
 * sidecar, or the api's direct transport. Unset token = open (local dev, tests).
 */
export function requireAppToken(token: string | undefined): RequestHandler {
  if (!token) return (_req, _res, next) => next();
  // Comparing fixed-length digests keeps the check constant-time whatever the input length.
  const expected = digest(token);
  return (req, res, next) => {
    const given = req.header(DAPR_APP_TOKEN_HEADER);
    if (given && timingSafeEqual(digest(given), expected)) return next();
    res.status(401).json({
      error: 'UNAUTHENTICATED',
      message: `the ${DAPR_APP_TOKEN_HEADER} header is missing or wrong`,
    });
  };
}
