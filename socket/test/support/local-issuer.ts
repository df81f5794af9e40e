import { once } from 'node:events';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { SignJWT, exportJWK, generateKeyPair, type CryptoKey, type JWK } from 'jose';

export interface LocalIssuer {
  issuer: string;
  jwksUrl: string;
  /** Signs a token like Better Auth's (EdDSA, iss = aud); `key: 'forged'` uses a key not in the set. */
  sign(claims: {
    sub?: string;
    expiresInSeconds?: number;
    issuer?: string;
    key?: 'real' | 'forged';
  }): Promise<string>;
  close(): Promise<void>;
}

/** A tiny JWKS server with its own key, so handshake tests need no api and can mint any token. */
export async function startLocalIssuer(): Promise<LocalIssuer> {
  const kid = 'test-key';
  const real = await generateKeyPair('EdDSA', { extractable: true });
  const forged = await generateKeyPair('EdDSA', { extractable: true });
  const publicJwk: JWK = { ...(await exportJWK(real.publicKey)), kid, alg: 'EdDSA', use: 'sig' };

  const server = createServer((req, res) => {
    if (req.url !== '/jwks') {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    issuer: base,
    jwksUrl: `${base}/jwks`,
    async sign({ sub = 'user-1', expiresInSeconds = 900, issuer = base, key = 'real' }) {
      const privateKey: CryptoKey = key === 'real' ? real.privateKey : forged.privateKey;
      const now = Math.floor(Date.now() / 1000);
      // The forged token claims the real key id: only the signature gives it away.
      return new SignJWT({})
        .setProtectedHeader({ alg: 'EdDSA', kid })
        .setSubject(sub)
        .setIssuer(issuer)
        .setAudience(issuer)
        .setIssuedAt(now)
        .setExpirationTime(now + expiresInSeconds)
        .sign(privateKey);
    },
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
