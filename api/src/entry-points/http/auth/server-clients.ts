import type { RequestHandler } from 'express';

/**
 * Lets server-side clients (Node's, Deno's and Bun's `fetch`) sign up and sign in.
 *
 * Those runtimes send `Sec-Fetch-Mode: cors` but no `Origin`, and Better Auth reads any
 * `Sec-Fetch-*` header as "a browser" and then demands an `Origin` (403
 * MISSING_OR_NULL_ORIGIN). A request carrying no cookie, no `Origin`, no `Referer` and no
 * `Sec-Fetch-Site` is not a browser's: every browser that sends `Sec-Fetch-Mode` also sends
 * `Sec-Fetch-Site`, and a cross-site form or fetch carries `Origin`. Such a request has no
 * ambient credential to abuse, so there is nothing for the CSRF check to protect; dropping
 * its stray `Sec-Fetch-*` headers lets Better Auth treat it like curl. Browser requests
 * (cookie, Origin or Sec-Fetch-Site present) are untouched and keep the origin check.
 */
export const serverClientsWithoutOrigin: RequestHandler = (req, _res, next) => {
  const h = req.headers;
  if (!h.cookie && !h.origin && !h.referer && !h['sec-fetch-site']) {
    delete h['sec-fetch-mode'];
    delete h['sec-fetch-dest'];
    delete h['sec-fetch-user'];
  }
  next();
};
