import { createECDH, createPublicKey, randomBytes, verify, type ECDH } from 'node:crypto';
import { once } from 'node:events';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import ece from 'http_ece';

/** One request the push service took, decrypted as the device would. */
export interface PushRequest {
  device: string;
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The VAPID JWT's claims, after its ES256 signature was verified with the `k` key. */
  claims: { aud: string; exp: number; sub: string };
  vapidKey: string;
  /** The payload decrypted with the device's private key and auth secret (RFC 8291). */
  payload: unknown;
}

/** A browser's side of a subscription: its key pair and auth secret. */
export interface Device {
  name: string;
  ecdh: ECDH;
  auth: string;
  subscription: { endpoint: string; expirationTime: null; keys: { p256dh: string; auth: string } };
}

/**
 * A push service on loopback, standing in for the browser vendors' (which we cannot run):
 * it checks each request as they do (the VAPID JWT: ES256 with the key in `k`, `aud` = this
 * origin, `exp` within 24 h, a `sub` contact) and then decrypts the aes128gcm body with the
 * device's private key and auth secret, exactly what a browser does before showing it. A
 * request it cannot verify or decrypt answers 400/403 and is recorded with that status.
 */
export class LocalPushService {
  readonly requests: PushRequest[] = [];
  private readonly devices = new Map<string, Device>();
  /** Statuses to answer for a device, one per request; then 201. */
  private readonly script = new Map<string, number[]>();
  private server: Server | null = null;
  private waiters: (() => void)[] = [];
  origin = '';

  async start(): Promise<void> {
    this.server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const status = this.handle(req.url ?? '', req.headers, Buffer.concat(chunks));
        res.writeHead(status).end();
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
    this.server.listen(0, '127.0.0.1');
    await once(this.server, 'listening');
    this.origin = `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /** A new browser subscription whose endpoint is this service. */
  device(name: string): Device {
    const ecdh = createECDH('prime256v1');
    ecdh.generateKeys();
    const auth = randomBytes(16).toString('base64url');
    const device: Device = {
      name,
      ecdh,
      auth,
      subscription: {
        endpoint: `${this.origin}/push/${name}`,
        expirationTime: null,
        keys: { p256dh: ecdh.getPublicKey('base64url'), auth },
      },
    };
    this.devices.set(name, device);
    return device;
  }

  /** The next requests for `name` answer these statuses, in order. */
  answer(name: string, ...statuses: number[]): void {
    this.script.set(name, [...(this.script.get(name) ?? []), ...statuses]);
  }

  of(name: string): PushRequest[] {
    return this.requests.filter((r) => r.device === name);
  }

  /** Resolves once `predicate` holds, re-checked after every request. */
  async until(what: string, predicate: () => boolean, timeoutMs = 20_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!predicate()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await Promise.race([
        new Promise<void>((r) => this.waiters.push(r)),
        new Promise((r) => setTimeout(r, Math.max(0, deadline - Date.now()))),
      ]);
    }
  }

  async stop(): Promise<void> {
    if (!this.server) return;
    this.server.closeAllConnections();
    await new Promise((r) => this.server!.close(r));
  }

  private handle(
    url: string,
    headers: Record<string, string | string[] | undefined>,
    body: Buffer,
  ): number {
    const name = /^\/push\/([\w-]+)$/.exec(url)?.[1] ?? '';
    const device = this.devices.get(name);
    if (!device) return 404;
    const auth = /^vapid t=([\w-]+\.[\w-]+\.[\w-]+), k=([\w-]+)$/.exec(
      String(headers.authorization ?? ''),
    );
    if (!auth) return 401;
    const [, jwt, vapidKey] = auth as unknown as [string, string, string];
    const claims = this.verifiedClaims(jwt, vapidKey);
    const now = Date.now() / 1000;
    if (
      !claims ||
      claims.aud !== this.origin ||
      !(claims.exp > now && claims.exp <= now + 24 * 3600) ||
      !/^(mailto:|https:)/.test(claims.sub)
    )
      return 403;
    if (headers['content-encoding'] !== 'aes128gcm') return 415;
    let payload: unknown;
    try {
      const plain = ece.decrypt(body, {
        version: 'aes128gcm',
        privateKey: device.ecdh,
        authSecret: device.auth,
      });
      payload = JSON.parse(plain.toString('utf8'));
    } catch {
      return 400;
    }
    const status = this.script.get(name)?.shift() ?? 201;
    this.requests.push({ device: name, status, headers, claims, vapidKey, payload });
    return status;
  }

  /** The JWT's claims if its ES256 signature verifies with the uncompressed P-256 key `k`. */
  private verifiedClaims(jwt: string, k: string): { aud: string; exp: number; sub: string } | null {
    const [header, claims, signature] = jwt.split('.') as [string, string, string];
    const point = Buffer.from(k, 'base64url');
    if (point.length !== 65 || point[0] !== 4) return null;
    const key = createPublicKey({
      key: {
        kty: 'EC',
        crv: 'P-256',
        x: point.subarray(1, 33).toString('base64url'),
        y: point.subarray(33).toString('base64url'),
      },
      format: 'jwk',
    });
    const alg = (JSON.parse(Buffer.from(header, 'base64url').toString()) as { alg?: string }).alg;
    if (alg !== 'ES256') return null;
    const ok = verify(
      'sha256',
      Buffer.from(`${header}.${claims}`),
      { key, dsaEncoding: 'ieee-p1363' },
      Buffer.from(signature, 'base64url'),
    );
    return ok ? JSON.parse(Buffer.from(claims, 'base64url').toString()) : null;
  }
}
