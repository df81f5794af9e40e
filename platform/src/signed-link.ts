import { createHmac, timingSafeEqual } from 'node:crypto';

/**
 * Tokens for links that act without a sign-in (one-click unsubscribe, RFC 8058): the subject
 * and an HMAC-SHA256 of it under a purpose and a secret the signer and the verifier share.
 * No expiry: a link in a mail from last year must still stop the mail.
 */
const mac = (secret: string, purpose: string, subject: string) =>
  createHmac('sha256', secret).update(`${purpose}\n${subject}`).digest();

export function signLinkToken(secret: string, purpose: string, subject: string): string {
  return `${Buffer.from(subject).toString('base64url')}.${mac(secret, purpose, subject).toString('base64url')}`;
}

/** The subject a token was signed for, or null when it was not signed by us for `purpose`. */
export function verifyLinkToken(secret: string, purpose: string, token: string): string | null {
  const [encoded, signature, extra] = token.split('.');
  if (!encoded || !signature || extra !== undefined) return null;
  const subject = Buffer.from(encoded, 'base64url').toString();
  const expected = mac(secret, purpose, subject);
  const given = Buffer.from(signature, 'base64url');
  return given.length === expected.length && timingSafeEqual(given, expected) ? subject : null;
}
