import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AUTH_REFRESH_EVENT,
  type AuthRefreshReply,
  type SocketConnectErrorData,
} from '@todo/contracts';
import {
  createTestDatabase,
  signUpUser,
  startApiProcess,
  testInfra,
  type ApiProcess,
} from '@todo/ops/testing';
import {
  barrier,
  connectClient,
  connected,
  startNode,
  uniqueAdapterKey,
  type Client,
  type RunningNode,
} from './support/nodes.js';

type ConnectError = Error & { data?: SocketConnectErrorData };

/** Connects with `token` and resolves with the refusal; fails if the node admits it. */
async function refusal(url: string, token: string): Promise<ConnectError> {
  const client = connectClient(url, token);
  try {
    return await new Promise<ConnectError>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error('neither admitted nor refused in 5 s')),
        5_000,
      );
      client.once('connect', () => {
        clearTimeout(timer);
        reject(new Error('the connection was admitted'));
      });
      client.once('connect_error', (error: ConnectError) => {
        clearTimeout(timer);
        resolve(error);
      });
    });
  } finally {
    client.close();
  }
}

/** A second session of `user` (another device) and a JWT of it. */
async function otherSessionJwt(baseUrl: string, email: string): Promise<string> {
  const signIn = await fetch(`${baseUrl}/api/auth/sign-in/email`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ email, password: 'correct-horse-battery' }),
  });
  const { token: session } = (await signIn.json()) as { token: string };
  const jwt = (await (
    await fetch(`${baseUrl}/api/auth/token`, { headers: { authorization: `Bearer ${session}` } })
  ).json()) as { token: string };
  return jwt.token;
}

async function signOut(baseUrl: string, sessionToken: string): Promise<void> {
  const response = await fetch(`${baseUrl}/api/auth/sign-out`, {
    method: 'POST',
    headers: { authorization: `Bearer ${sessionToken}`, 'content-type': 'application/json' },
    body: '{}',
  });
  assert.equal(response.status, 200);
}

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
    const otherJwt = await otherSessionJwt(api.baseUrl, user.email);

    const onA = await connected(a.url, user.token);
    const onB = await connected(b.url, user.token);
    const otherDevice = await connected(b.url, otherJwt);
    try {
      const disconnects = [disconnected(onA), disconnected(onB)];
      await signOut(api.baseUrl, user.sessionToken);
      const reasons = await Promise.all(disconnects);
      assert.deepEqual(reasons, ['io server disconnect', 'io server disconnect']);
      await barrier(otherDevice);
      assert.equal(otherDevice.connected, true, 'the other session stays connected');
    } finally {
      for (const socket of [onA, onB, otherDevice]) socket.close();
    }
  });

  it('refuses a new handshake and a refresh with the signed-out session’s JWT, as an invalid token', async () => {
    const user = await signUpUser(api.baseUrl);
    const otherJwt = await otherSessionJwt(api.baseUrl, user.email);
    // Connected before the sign-out on the other session: it may not take the old JWT in.
    const otherDevice = await connected(a.url, otherJwt);
    try {
      await signOut(api.baseUrl, user.sessionToken);

      // The JWT is unexpired and correctly signed; only its session has ended.
      for (const node of [a, b]) {
        const error = await refusal(node.url, user.token);
        assert.equal(error.message, 'the token is not valid');
        assert.deepEqual(error.data, { code: 'UNAUTHENTICATED' });
      }
      const refreshed = (await otherDevice
        .timeout(5_000)
        .emitWithAck(AUTH_REFRESH_EVENT, { token: user.token })) as AuthRefreshReply;
      assert.deepEqual(refreshed, {
        ok: false,
        error: { code: 'UNAUTHENTICATED', message: 'the token is not valid' },
      });

      // The same user's live session still connects, on either node.
      const stillIn = await connected(b.url, otherJwt);
      stillIn.close();
      await barrier(otherDevice);
      assert.equal(otherDevice.connected, true);
    } finally {
      otherDevice.close();
    }
  });
});
