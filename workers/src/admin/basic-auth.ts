import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';

const digest = (value: string) => createHash('sha256').update(value).digest();

/** HTTP Basic auth against one configured credential; 401 + WWW-Authenticate otherwise. */
export function basicAuth(user: string, password: string, realm = 'Bull Board'): RequestHandler {
  // Comparing fixed-length digests keeps the check constant-time whatever the input length.
  const expected = digest(`${user}:${password}`);
  return (req, res, next) => {
    const header = req.header('authorization') ?? '';
    const [scheme, encoded] = header.split(' ');
    const given =
      scheme?.toLowerCase() === 'basic' && encoded
        ? Buffer.from(encoded, 'base64').toString('utf8')
        : '';
    if (given && timingSafeEqual(digest(given), expected)) return next();
    res.setHeader('WWW-Authenticate', `Basic realm="${realm}", charset="UTF-8"`);
    res.status(401).json({ error: 'UNAUTHENTICATED', message: 'admin credentials required' });
  };
}
