import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';

export interface DevSecrets {
  betterAuthSecret: string;
  bullBoardPassword: string;
}

/** Secrets for the local stack, generated once and kept in the gitignored data folder. */
export function loadDevSecrets(file: string): DevSecrets {
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8')) as DevSecrets;
  const secrets: DevSecrets = {
    betterAuthSecret: randomBytes(32).toString('hex'),
    bullBoardPassword: randomBytes(9).toString('base64url'),
  };
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(secrets, null, 2), { mode: 0o600 });
  return secrets;
}
