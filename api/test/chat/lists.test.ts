import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  ChatResponse,
  CreatedListInvite,
  List,
  ListInvitePage,
  ListPage,
  Task,
  TaskPage,
} from '@todo/contracts';
import type { TestUser } from '@todo/ops/testing';
import { client, startTestApi, type TestApi } from '../helpers.js';

/** The chat and lists (ADR 330–332), through POST /chat against a real database. */
describe('chat over HTTP: lists', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;
  let other: ReturnType<typeof client>;
  let ada: TestUser;
  let bob: TestUser;

  before(async () => {
    t = await startTestApi();
    [ada, bob] = [await t.signUp('Ada'), await t.signUp('Bob')];
    call = client(t.baseUrl, ada.token);
    other = client(t.baseUrl, bob.token);
  });
  after(() => t.stop());

  function conversation(as = call) {
    let id: string | undefined;
    return async (message: string) => {
      const res = await as<ChatResponse>('POST', '/api/v1/chat', {
        message,
        ...(id ? { conversationId: id } : {}),
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      id = res.body.conversationId;
      return res.body;
    };
  }
  const lists = async (as = call) => (await as<ListPage>('GET', '/api/v1/lists')).body.items;
  const listNamed = async (name: string, as = call) =>
    (await lists(as)).find((l) => l.name === name);
  const makeList = async (name: string, as = call) =>
    (await as<List>('POST', '/api/v1/lists', { name })).body;
  const task = async (id: string) => (await call<Task>('GET', `/api/v1/tasks/${id}`)).body;
  const tasksIn = async (listId: string, status = 'pending') =>
    (await call<TaskPage>('GET', `/api/v1/tasks?listId=${listId}&status=${status}`)).body.items;

  it('adds to a named list, one item or several, and says which list', async () => {
    const groceries = await makeList('Groceries');
    const say = conversation();
    const one = await say('add milk to groceries');
    assert.equal(one.actions[0]?.type, 'task.created');
    assert.match(one.reply, /Added “milk”.* to “Groceries”/);
    assert.equal((await task(one.actions[0]!.taskId!)).listId, groceries.id);

    const many = await say('groceries: eggs, bread');
    assert.equal(many.reply, 'Added “eggs”, “bread” to “Groceries”.');
    assert.deepEqual((await tasksIn(groceries.id)).map((x) => x.title).sort(), [
      'bread',
      'eggs',
      'milk',
    ]);
    // "undo" takes back both.
    await say('undo');
    assert.deepEqual(
      (await tasksIn(groceries.id)).map((x) => x.title),
      ['milk'],
    );
  });

  it('answers what is on a list, and only that list', async () => {
    const work = await makeList('Work');
    await call('POST', '/api/v1/tasks', { title: 'quarterly report', listId: work.id });
    await call('POST', '/api/v1/tasks', { title: 'water the plants' });
    const say = conversation();
    const listed = await say('whats on my work list');
    assert.equal(listed.actions[0]?.type, 'tasks.listed');
    assert.match(listed.reply, /^One task in “Work”:\n1\. “quarterly report”/);
    assert.doesNotMatch(listed.reply, /plants/);
  });

  it('"drive to work" stays a title in the Inbox even with a Work list', async () => {
    const say = conversation();
    const added = await say('drive to work tomorrow');
    const saved = await task(added.actions[0]!.taskId!);
    assert.equal(saved.title, 'drive to work');
    assert.equal(saved.listId, (await lists()).find((l) => l.isInbox)!.id);
  });

  it('moves a task to a list, keeping it, and undo moves it back', async () => {
    const personal = await makeList('Personal');
    const say = conversation();
    const added = await say('add dentist appointment');
    const id = added.actions[0]!.taskId!;
    const inbox = (await task(id)).listId;

    const moved = await say('move dentist appointment to personal');
    assert.equal(moved.reply, 'Moved “dentist appointment” to “Personal”.');
    assert.deepEqual(
      moved.actions.map((a) => [a.type, a.taskId, a.listId]),
      [['task.updated', id, personal.id]],
    );
    const saved = await task(id);
    assert.equal(saved.listId, personal.id);
    assert.equal(saved.id, id, 'the same task, not a copy');

    await say('undo');
    assert.equal((await task(id)).listId, inbox);
  });

  it('offers to make a list it does not know, and only a yes makes it', async () => {
    const say = conversation();
    const asked = await say('put eggs on the shopping list');
    assert.deepEqual(asked.actions, []);
    assert.match(
      asked.reply,
      /no list called “shopping”.*Shall I make “Shopping” and add “eggs” to it\?/s,
    );
    assert.equal(await listNamed('Shopping'), undefined);

    const made = await say('yes');
    assert.deepEqual(
      made.actions.map((a) => a.type),
      ['list.created', 'task.created'],
    );
    const shopping = await listNamed('Shopping');
    assert.ok(shopping);
    assert.equal((await task(made.actions[1]!.taskId!)).listId, shopping.id);

    const declined = conversation();
    await declined('add sunscreen to my beach list');
    const no = await declined('no');
    assert.deepEqual(no.actions, []);
    assert.equal(await listNamed('Beach'), undefined);
  });

  it("another user's list name means nothing: nothing is read from or written to it", async () => {
    const secret = await makeList('Secret plans', other);
    await other('POST', '/api/v1/tasks', { title: 'surprise party', listId: secret.id });
    const say = conversation();
    const asked = await say('whats on the secret plans list');
    assert.match(asked.reply, /You have no list called “secret plans”/);
    assert.doesNotMatch(asked.reply, /surprise/);
    const offered = await say('add cake to the secret plans list');
    assert.deepEqual(offered.actions, []);
    assert.match(offered.reply, /Shall I make/);
    // Their list stays theirs: a 404 to Ada, and only their own task in it.
    assert.equal((await call('GET', `/api/v1/tasks?listId=${secret.id}`)).status, 404);
    const theirs = await other<TaskPage>('GET', `/api/v1/tasks?listId=${secret.id}&status=all`);
    assert.deepEqual(
      theirs.body.items.map((x) => x.title),
      ['surprise party'],
    );
  });

  it('makes, renames, archives a list; deleting one asks first and takes its tasks', async () => {
    const say = conversation();
    const made = await say('make a new list for the holiday');
    assert.equal(made.reply, 'Made the list “Holiday”.');
    const holiday = (await listNamed('Holiday'))!;
    assert.equal(made.actions[0]?.listId, holiday.id);

    const renamed = await say('rename holiday to Trips');
    assert.equal(renamed.reply, 'Renamed the list “Holiday” to “Trips”.');
    await call('POST', '/api/v1/tasks', { title: 'book flights', listId: holiday.id });

    const asked = await say('delete the trips list');
    assert.equal(
      asked.reply,
      'Delete the list “Trips” and its open task? Say “yes” to delete or “no” to keep it.',
    );
    assert.deepEqual(asked.actions, []);
    assert.ok(await listNamed('Trips'), 'nothing deleted before the answer');
    await say('no');
    assert.ok(await listNamed('Trips'), 'a no keeps it');

    await say('delete the trips list');
    const deleted = await say('yes');
    assert.equal(deleted.reply, 'Deleted the list “Trips” and its task.');
    assert.equal(await listNamed('Trips'), undefined);
    assert.equal((await call('GET', `/api/v1/lists/${holiday.id}`)).status, 404);

    const inbox = await say('delete the inbox');
    assert.match(inbox.reply, /Inbox can’t be deleted/);

    await makeList('Old stuff');
    const archived = await say('archive the old stuff list');
    assert.match(archived.reply, /^Archived the list “Old stuff”/);
    assert.ok((await listNamed('Old stuff'))?.archivedAt);
  });

  it('clears the done ones from one list after a yes, leaving the rest', async () => {
    const chores = await makeList('Chores');
    const { body: done } = await call<Task>('POST', '/api/v1/tasks', {
      title: 'vacuum',
      listId: chores.id,
    });
    await call('POST', `/api/v1/tasks/${done.id}/complete`);
    await call('POST', '/api/v1/tasks', { title: 'mop', listId: chores.id });
    const { body: elsewhere } = await call<Task>('POST', '/api/v1/tasks', { title: 'old thing' });
    await call('POST', `/api/v1/tasks/${elsewhere.id}/complete`);

    const say = conversation();
    const asked = await say('clear the done ones from chores');
    assert.match(asked.reply, /^Delete this task\?\n1\. “vacuum”/);
    const yes = await say('yes');
    assert.deepEqual(
      yes.actions.map((a) => [a.type, a.taskId]),
      [['task.deleted', done.id]],
    );
    assert.deepEqual(
      (await tasksIn(chores.id)).map((x) => x.title),
      ['mop'],
    );
    assert.equal((await task(elsewhere.id)).status, 'completed', 'another list is untouched');
  });

  it('shows the lists with their open counts', async () => {
    const shown = await conversation()('show my lists');
    assert.equal(shown.actions[0]?.type, 'lists.listed');
    assert.match(shown.reply, /^Your lists:\n• Inbox \(\d+ open\)/);
    assert.match(shown.reply, /• Groceries \(1 open\)/);
  });

  it('shares a list by address and assigns a task to a member of its list', async () => {
    const groceries = (await listNamed('Groceries'))!;
    const [milk] = await tasksIn(groceries.id);
    const say = conversation();

    const byName = await say('share groceries with sam');
    assert.deepEqual(byName.actions, []);
    assert.match(byName.reply, /I need sam’s email address/);

    const shared = await say(`share groceries with ${bob.email} as editor`);
    assert.deepEqual(
      shared.actions.map((a) => [a.type, a.listId, a.fields?.role]),
      [['list.shared', groceries.id, 'editor']],
    );
    assert.match(shared.reply, /^Invited .+ to “Groceries” as an editor\./);
    const invites = await call<ListInvitePage>('GET', `/api/v1/lists/${groceries.id}/invites`);
    assert.deepEqual(
      invites.body.items.map((i) => [i.email, i.role]),
      [[bob.email.toLowerCase(), 'editor']],
    );

    // Not a member yet: nothing is assigned.
    const early = await say(`assign ${milk!.title} to bob`);
    assert.deepEqual(early.actions, []);
    assert.match(early.reply, /bob is not a member/);
    assert.equal((await task(milk!.id)).assigneeId, null);

    // Bob joins (his address confirmed, from an invite link), then can be assigned.
    await t.api.sequelize.query(`UPDATE "user" SET "emailVerified" = true WHERE id = $1`, {
      bind: [bob.userId],
    });
    const link = await call<CreatedListInvite>('POST', `/api/v1/lists/${groceries.id}/invites`, {
      email: bob.email,
      role: 'editor',
    });
    const token = link.body.acceptUrl.split('/invites/')[1]!;
    assert.equal((await other('POST', '/api/v1/invites/accept', { token })).status, 200);

    const assigned = await say(`assign ${milk!.title} to Bob`);
    assert.equal(assigned.reply, `Assigned “${milk!.title}” to Bob.`);
    assert.deepEqual(
      assigned.actions.map((a) => [a.type, a.taskId, a.fields?.assigneeId]),
      [['task.updated', milk!.id, bob.userId]],
    );
    assert.equal((await task(milk!.id)).assigneeId, bob.userId);

    await say('assign it to me');
    assert.equal((await task(milk!.id)).assigneeId, ada.userId);
    await say('undo');
    assert.equal((await task(milk!.id)).assigneeId, bob.userId, 'undo gives it back to Bob');
  });
});
