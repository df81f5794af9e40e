import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  createTestDatabase,
  signUpUser,
  startApiProcess,
  testInfra,
  type ApiProcess,
} from '@todo/ops/testing';
import {
  barrier,
  connected,
  startNode,
  uniqueAdapterKey,
  type Client,
  type RunningNode,
} from './support/nodes.js';

const disconnected = (client: Client) =>
  new Promise<string>((resolve) => client.once('disconnect', (reason) => resolve(reason)));

/**
 * Issue 13, defect 7: signing out used to leave the session's sockets connected until the JWT
 * expired. The api now asks every node, through the Redis adapter channel, to disconnect the
 * session's room; the user's other sessions stay connected.
 */
describe('signing out disconnects that session’s sockets on every node', () => {
  let api: ApiProcess;
  let a: RunningNode;
  let b: RunningNode;

  before(async () => {
    const adapterKey = uniqueAdapterKey();
    api = await startApiProcess({
      databaseUrl: await createTestDatabase('socket'),
      env: { REDIS_URL: testInfra().redisUrl, SOCKET_ADAPTER_KEY: adapterKey },
    });
    const settings = { jwksUrl: `${api.baseUrl}/api/auth/jwks`, issuer: api.baseUrl, adapterKey };
    [a, b] = await Promise.all([startNode(settings), startNode(settings)]);
  });
  after(async () => {
    await Promise.all([a?.stop(), b?.stop()]);
    await api?.stop();
  });

  it('ends the signed-out session’s sockets on both nodes and keeps the other session’s', async () => {
    const user = await signUpUser(api.baseUrl);
    // A second session of the same user (another device).
    const signIn = await fetch(`${api.baseUrl}/api/auth/sign-in/email`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ email: user.email, password: 'correct-horse-battery' }),
    });
    const { token: otherSession } = (await signIn.json()) as { token: string };
    const otherJwt = (await (
      await fetch(`${api.baseUrl}/api/auth/token`, {
        headers: { authorization: `Bearer ${otherSession}` },
      })
    ).json()) as { token: string };

    const onA = await connected(a.url, user.token);
    const onB = await connected(b.url, user.token);
    const otherDevice = await connected(b.url, otherJwt.token);
    try {
      const disconnects = [disconnected(onA), disconnected(onB)];
      const signOut = await fetch(`${api.baseUrl}/api/auth/sign-out`, {
        method: 'POST',
        headers: {
          authorization: `Bearer ${user.sessionToken}`,
          'content-type': 'application/json',
        },
        body: '{}',
      });
      assert.equal(signOut.status, 200);
      const reasons = await Promise.all(disconnects);
      assert.deepEqual(reasons, ['io server disconnect', 'io server disconnect']);
      await barrier(otherDevice);
      assert.equal(otherDevice.connected, true, 'the other session stays connected');
    } finally {
      for (const socket of [onA, onB, otherDevice]) socket.close();
    }
  });
});
