import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ConnectionAck, SocketConnectErrorData } from '@todo/contracts';
import { freePort } from '@todo/ops/testing';
import { startLocalIssuer, type LocalIssuer } from './support/local-issuer.js';
import {
  connectClient,
  connected,
  startNode,
  uniqueAdapterKey,
  type Client,
  type RunningNode,
} from './support/nodes.js';
import { nextEvent } from './support/wait.js';

type ConnectError = Error & { data?: SocketConnectErrorData };

describe('handshake and session', () => {
  let issuer: LocalIssuer;
  let node: RunningNode;
  const clients: Client[] = [];

  before(async () => {
    issuer = await startLocalIssuer();
    node = await startNode({
      jwksUrl: issuer.jwksUrl,
      issuer: issuer.issuer,
      adapterKey: uniqueAdapterKey(),
    });
  });

  after(async () => {
    for (const client of clients) client.close();
    await node.stop();
    await issuer.close();
  });

  /** Connects with `token` and resolves with the refusal (fails if it is admitted). */
  async function refusal(token: string | undefined, url = node.url): Promise<ConnectError> {
    const client = connectClient(url, token);
    clients.push(client);
    const admitted = nextEvent(client, 'connect', 5_000).then(() => {
      throw new Error('the connection was admitted');
    });
    const refused = nextEvent<ConnectError>(client, 'connect_error', 5_000);
    const error = await Promise.race([refused, admitted]);
    // A middleware refusal is final: the client must not retry with the same credentials.
    assert.equal(client.active, false);
    return error;
  }

  it('refuses a client without a token, saying how to send one', async () => {
    const error = await refusal(undefined);
    assert.equal(error.message, 'a token is required: connect with auth: { token }');
    assert.deepEqual(error.data, { code: 'UNAUTHENTICATED' });
  });

  it('refuses a token signed with a key the api never published', async () => {
    const error = await refusal(await issuer.sign({ key: 'forged' }));
    assert.equal(error.message, 'the token is not valid');
    assert.deepEqual(error.data, { code: 'UNAUTHENTICATED' });
  });

  it('refuses garbage and tokens of another issuer', async () => {
    assert.equal((await refusal('not-a-jwt')).data?.code, 'UNAUTHENTICATED');
    const foreign = await issuer.sign({ issuer: 'https://elsewhere.example' });
    assert.equal((await refusal(foreign)).message, 'the token is not valid');
  });

  it('refuses an expired token with its own code', async () => {
    const error = await refusal(await issuer.sign({ expiresInSeconds: -5 }));
    assert.equal(error.message, 'the token has expired: get a new one and reconnect');
    assert.deepEqual(error.data, { code: 'TOKEN_EXPIRED' });
  });

  it('says so when the key set cannot be fetched, instead of blaming the token', async () => {
    const lonely = await startNode({
      jwksUrl: `http://127.0.0.1:${await freePort()}/jwks`,
      issuer: issuer.issuer,
      adapterKey: uniqueAdapterKey(),
    });
    try {
      const error = await refusal(await issuer.sign({}), lonely.url);
      assert.deepEqual(error.data, { code: 'AUTH_UNAVAILABLE' });
      assert.match(error.message, /retry shortly/);
    } finally {
      await lonely.stop();
    }
  });

  it('admits a valid token and acknowledges with the connection, user and server time', async () => {
    const client = connectClient(node.url, await issuer.sign({ sub: 'user-ack' }));
    clients.push(client);
    const ack = await nextEvent<ConnectionAck>(client, 'connection_ack');
    assert.equal(ack.userId, 'user-ack');
    assert.equal(ack.connectionId, client.id);
    assert.ok(Math.abs(Date.parse(ack.serverTime) - Date.now()) < 5_000);
  });

  it('answers ping with the server time', async () => {
    const client = await connected(node.url, await issuer.sign({ sub: 'user-ping' }));
    clients.push(client);
    const sent = Date.now();
    const reply = await client.timeout(5_000).emitWithAck('ping');
    const rtt = Date.now() - sent;
    const serverTime = Date.parse(reply.serverTime);
    assert.ok(
      serverTime >= sent - 1 && serverTime <= sent + rtt + 1,
      'server time within the round trip',
    );
  });

  it('ends the connection when the token expires, and the client does not reconnect by itself', async () => {
    // `exp` has second resolution: this token lives between one and two seconds.
    const client = await connected(
      node.url,
      await issuer.sign({ sub: 'user-exp', expiresInSeconds: 2 }),
    );
    clients.push(client);
    const reason = await nextEvent<string>(client, 'disconnect', 5_000);
    assert.equal(reason, 'io server disconnect');
    assert.equal(client.active, false);
    const metrics = await (await fetch(`${node.url}/metrics`)).text();
    assert.match(metrics, /socket_expired_sessions_total\{service="socket"\} [1-9]/);
    assert.match(
      metrics,
      /socket_refused_handshakes_total\{code="TOKEN_EXPIRED",service="socket"\} 1/,
    );
  });
});
