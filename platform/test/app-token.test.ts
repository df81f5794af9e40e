import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Router } from 'express';
import { DAPR_APP_TOKEN_HEADER } from '@todo/contracts';
import { requireAppToken } from '../src/index.js';
import { serve } from './support.js';

const TOKEN = 'app-api-token-for-platform-tests';

describe('Dapr app API token guard', () => {
  let guarded: Awaited<ReturnType<typeof serve>>;
  let open: Awaited<ReturnType<typeof serve>>;

  const app = (token: string | undefined) => {
    const router = Router();
    router.get('/dapr/subscribe', requireAppToken(token), (_req, res) => void res.json([]));
    return router;
  };

  before(async () => {
    guarded = await serve(app(TOKEN));
    open = await serve(app(undefined));
  });
  after(async () => {
    await guarded.close();
    await open.close();
  });

  const call = (url: string, token?: string) =>
    fetch(`${url}/dapr/subscribe`, {
      headers: token === undefined ? {} : { [DAPR_APP_TOKEN_HEADER]: token },
    });

  it('refuses a missing, empty, wrong or longer token with 401 naming the header', async () => {
    for (const token of [undefined, '', 'wrong-token-of-the-same-len-xxxx', `${TOKEN}x`]) {
      const response = await call(guarded.url, token);
      assert.equal(response.status, 401, `with ${String(token)}`);
      assert.deepEqual(await response.json(), {
        error: 'UNAUTHENTICATED',
        message: `the ${DAPR_APP_TOKEN_HEADER} header is missing or wrong`,
      });
    }
  });

  it('admits the right token, and everyone when no token is configured', async () => {
    assert.equal((await call(guarded.url, TOKEN)).status, 200);
    assert.equal((await call(open.url)).status, 200);
  });
});
