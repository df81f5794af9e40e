import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { JSONWebKeySet } from 'jose';
import { JwtVerifier } from '../src/entry-points/http/auth/jwt-verifier.js';
import { UnauthenticatedError } from '../src/entry-points/http/errors.js';
import { startTestApi, type TestApi } from './helpers.js';

const expOf = (token: string): number =>
  (JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8')) as { exp: number })
    .exp;

describe('JWT verification remembers verified tokens only until they expire', () => {
  let t: TestApi;
  let clock = Date.now();
  let verifier: JwtVerifier;
  before(async () => {
    t = await startTestApi();
    verifier = new JwtVerifier(
      async () => (await t.api.auth.api.getJwks()) as unknown as JSONWebKeySet,
      t.baseUrl,
      () => clock,
    );
  });
  after(() => t.stop());

  it('accepts a real token again and again, and still rejects a tampered copy of it', async () => {
    const user = await t.signUp();
    assert.equal((await verifier.verify(user.token)).userId, user.userId);
    assert.equal((await verifier.verify(user.token)).userId, user.userId);
    const [header, payload, signature] = user.token.split('.');
    const flipped = `${signature!.startsWith('A') ? 'B' : 'A'}${signature!.slice(1)}`;
    await assert.rejects(
      verifier.verify(`${header}.${payload}.${flipped}`),
      (error: unknown) => error instanceof UnauthenticatedError && /not valid/.test(error.message),
    );
  });

  it('rejects a remembered token once its exp has passed', async () => {
    const user = await t.signUp();
    clock = Date.now();
    assert.equal((await verifier.verify(user.token)).userId, user.userId);
    clock = expOf(user.token) * 1000;
    await assert.rejects(
      verifier.verify(user.token),
      (error: unknown) => error instanceof UnauthenticatedError && /expired/.test(error.message),
    );
    // Not remembered as valid either: a later call verifies it again and fails the same way.
    await assert.rejects(verifier.verify(user.token), /expired/);
  });
});
