import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DevSecrets {
  betterAuthSecret: string;
  bullBoardPassword: string;
  /** Signs (workers) and verifies (api) the unsubscribe links of reminder mail. */
  unsubscribeSecret: string;
}

/** Secrets for the local stack, generated once and kept in the gitignored data folder. */
export function loadDevSecrets(file: string): DevSecrets {
  const kept = existsSync(file)
    ? (JSON.parse(readFileSync(file, 'utf8')) as Partial<DevSecrets>)
    : {};
  // A file from before a secret existed gets it added; the ones it has are kept.
  const secrets: DevSecrets = {
    betterAuthSecret: kept.betterAuthSecret ?? randomBytes(32).toString('hex'),
    bullBoardPassword: kept.bullBoardPassword ?? randomBytes(9).toString('base64url'),
    unsubscribeSecret: kept.unsubscribeSecret ?? randomBytes(32).toString('hex'),
  };
  if (Object.keys(kept).length === Object.keys(secrets).length) return secrets;
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
