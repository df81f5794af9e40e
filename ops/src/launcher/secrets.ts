import { createECDH, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DevSecrets {
  betterAuthSecret: string;
  bullBoardPassword: string;
  /** Signs (workers) and verifies (api) the unsubscribe links of reminder mail. */
  unsubscribeSecret: string;
  /** The Web Push VAPID pair (base64url), as `web-push generate-vapid-keys` makes it. */
  vapidPublicKey: string;
  vapidPrivateKey: string;
}

/** A P-256 key pair: public uncompressed (65 bytes), private 32 bytes, both base64url. */
export function vapidKeys(): Pick<DevSecrets, 'vapidPublicKey' | 'vapidPrivateKey'> {
  const ecdh = createECDH('prime256v1');
  ecdh.generateKeys();
  const privateKey = ecdh.getPrivateKey();
  return {
    vapidPublicKey: ecdh.getPublicKey('base64url', 'uncompressed'),
    // A key with leading zero bytes comes back shorter: VAPID wants exactly 32.
    vapidPrivateKey: Buffer.concat([Buffer.alloc(32 - privateKey.length), privateKey]).toString(
      'base64url',
    ),
  };
}

/**
 * Secrets for the local stack, generated once and kept in the gitignored data folder. A
 * secret added later (the unsubscribe secret, the VAPID pair) is generated into an older file on its next start:
 * browsers stay subscribed across restarts only while the VAPID key stays the same.
 */
export function loadDevSecrets(file: string): DevSecrets {
  const saved = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>)
    : {};
  const secrets: DevSecrets = {
    betterAuthSecret: saved.betterAuthSecret ?? randomBytes(32).toString('hex'),
    bullBoardPassword: saved.bullBoardPassword ?? randomBytes(9).toString('base64url'),
    unsubscribeSecret: saved.unsubscribeSecret ?? randomBytes(32).toString('hex'),
    ...(saved.vapidPublicKey && saved.vapidPrivateKey
      ? { vapidPublicKey: saved.vapidPublicKey, vapidPrivateKey: saved.vapidPrivateKey }
      : vapidKeys()),
  };
  if (JSON.stringify(saved) !== JSON.stringify({ ...saved, ...secrets })) {
    mkdirSync(dirname(file), { recursive: true });
    writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  }
  return secrets;
}
