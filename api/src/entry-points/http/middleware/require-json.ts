import type { RequestHandler } from 'express';
import { UnsupportedMediaTypeError } from '../errors.js';

/** Bodies of writes must be JSON: anything else is a 415, not a confusing validation error. */
export const requireJsonBody: RequestHandler = (req, _res, next) => {
  const hasBody =
    Number(req.header('content-length') ?? 0) > 0 || req.header('transfer-encoding') !== undefined;
  if (
    hasBody &&
    ['POST', 'PUT', 'PATCH'].includes(req.method) &&
    !req.is(['application/json', 'application/*+json'])
  ) {
    throw new UnsupportedMediaTypeError(req.header('content-type'));
  }
  next();
};
