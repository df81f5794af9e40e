import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { QueryTypes } from 'sequelize';
import { createLogger } from '@todo/platform';
import type { ListPage, Task } from '@todo/contracts';
import { createMigrator } from '../src/data-access/migrate.js';
import { client, startTestApi, type TestApi } from './helpers.js';

describe('migration 016: lists', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t.stop());

  it('moves every existing task to its owner’s Inbox and deleting an account removes its lists and tasks', async () => {
    const ada = await t.signUp('Ada');
    const call = client(t.baseUrl, ada.token);
    const { body: done } = await call<Task>('POST', '/api/v1/tasks', { title: 'Done already' });
    await call('POST', `/api/v1/tasks/${done.id}/complete`);
    const { body: open } = await call<Task>('POST', '/api/v1/tasks', { title: 'Still open' });

    // Back to before lists existed, with a task whose owner has no account.
    const sequelize = t.api.sequelize;
    const migrator = createMigrator(sequelize, createLogger({ service: 'test', level: 'silent' }));
    await migrator.down({ to: '016-lists' });
    await sequelize.query(
      `INSERT INTO tasks (id, user_id, title) VALUES (gen_random_uuid(), 'no-such-account', 'orphan')`,
    );
    await migrator.up();

    const lists = (await call<ListPage>('GET', '/api/v1/lists')).body.items;
    assert.deepEqual(
      lists.map((l) => [l.name, l.isInbox, l.openTaskCount]),
      [['Inbox', true, 1]],
    );
    for (const id of [done.id, open.id]) {
      const task = (await call<Task>('GET', `/api/v1/tasks/${id}`)).body;
      assert.equal(task.listId, lists[0]!.id);
    }
    const orphans = await sequelize.query<{ n: string }>(
      `SELECT count(*) AS n FROM tasks WHERE user_id = 'no-such-account'`,
      { type: QueryTypes.SELECT },
    );
    assert.equal(Number(orphans[0]!.n), 0);

    // The account-deletion path relies on the cascades: user → lists → tasks.
    await sequelize.query(`DELETE FROM "user" WHERE id = $1`, { bind: [ada.userId] });
    const left = await sequelize.query<{ lists: string; tasks: string }>(
      `SELECT (SELECT count(*) FROM lists WHERE user_id = $1) AS lists,
              (SELECT count(*) FROM tasks WHERE user_id = $1) AS tasks`,
      { bind: [ada.userId], type: QueryTypes.SELECT },
    );
    assert.deepEqual([Number(left[0]!.lists), Number(left[0]!.tasks)], [0, 0]);
  });
});
