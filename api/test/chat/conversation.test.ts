import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  TOPICS,
  type ChatResponse,
  type Task,
  type TaskChangedData,
  type TaskPage,
} from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from '../helpers.js';

describe('chat over HTTP: multi-turn conversations', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;
  let token: string;

  before(async () => {
    t = await startTestApi();
    token = (await t.signUp()).token;
    call = client(t.baseUrl, token);
  });
  after(() => t.stop());

  /** A conversation: each `say` continues the same one. */
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
  const task = async (id: string) => (await call<Task>('GET', `/api/v1/tasks/${id}`)).body;

  it('"add buy milk" → "make it every Friday" → "remind me an hour before"', async () => {
    const say = conversation();
    const added = await say('add buy milk');
    assert.equal(added.actions[0]?.type, 'task.created');
    const id = added.actions[0]!.taskId!;
    assert.match(added.reply, /Added “buy milk”/);

    const repeating = await say('make it every Friday');
    assert.deepEqual(
      repeating.actions.map((a) => [a.type, a.taskId]),
      [['recurrence.set', id]],
    );
    assert.match(repeating.reply, /repeats every Friday/);

    const reminded = await say('remind me an hour before');
    assert.deepEqual(
      reminded.actions.map((a) => [a.type, a.taskId]),
      [['reminder.set', id]],
    );

    const saved = await task(id);
    assert.equal(saved.recurrence?.frequency, 'weekly');
    assert.deepEqual(saved.recurrence?.byWeekday, [4]);
    assert.equal(new Date(saved.dueDate!).getUTCDay(), 5, 'due on the next Friday');
    assert.equal(saved.reminderOffset, 60);
    assert.equal(
      saved.reminderAt,
      new Date(new Date(saved.dueDate!).getTime() - 3_600_000).toISOString(),
    );
  });

  it('refers to tasks by their position in the last list', async () => {
    const say = conversation();
    await say('add alpha errand #ordinal');
    await say('add beta errand #ordinal');
    await say('add gamma errand #ordinal');
    const listed = await say('show tasks tagged ordinal');
    const ids = (listed.actions[0]?.fields?.taskIds as string[]) ?? [];
    assert.equal(ids.length, 3);
    assert.match(listed.reply, /^3 tasks tagged #ordinal:\n1\. /);
    const done = await say('complete the second one');
    assert.deepEqual(
      done.actions.map((a) => [a.type, a.taskId]),
      [['task.completed', ids[1]]],
    );
    assert.equal((await task(ids[1]!)).status, 'completed');
    assert.equal((await task(ids[0]!)).status, 'pending');
    const last = await say('delete the last one');
    assert.deepEqual(
      last.actions.map((a) => [a.type, a.taskId]),
      [['task.deleted', ids[2]]],
    );
  });

  it('asks which task when a reference is ambiguous, changes nothing, then acts on the answer', async () => {
    const say = conversation();
    const a = (await say('add buy milk for the office')).actions[0]!.taskId!;
    const b = (await say('add buy milk for home')).actions[0]!.taskId!;
    const question = await say('complete buy milk for');
    assert.equal(question.actions.length, 0, 'nothing done on a guess');
    assert.match(question.reply, /Which “buy milk for” do you mean\?/);
    assert.match(question.reply, /1\. “buy milk for (the office|home)”/);
    assert.equal((await task(a)).status, 'pending');
    assert.equal((await task(b)).status, 'pending');
    const answered = await say('the second one');
    const chosen = answered.actions[0]?.taskId;
    assert.equal(answered.actions[0]?.type, 'task.completed');
    assert.ok(chosen === a || chosen === b);
    assert.equal((await task(chosen!)).status, 'completed');
    assert.equal((await task(chosen === a ? b : a)).status, 'pending');
  });

  it('answers a "which one?" with a title too', async () => {
    const say = conversation();
    await say('add water the fern');
    await say('add water the cactus');
    const question = await say('delete water the');
    assert.equal(question.actions.length, 0);
    const answer = await say('cactus');
    assert.equal(answer.actions[0]?.type, 'task.deleted');
    assert.match(answer.reply, /Deleted “water the cactus”/);
  });

  it('answers a "which one?" with the day a candidate is due: "the one on friday"', async () => {
    const say = conversation();
    const tuesday = (await say('add renew passport on tuesday at 10am')).actions[0]!.taskId!;
    const friday = (await say('add renew passport on friday at 10am')).actions[0]!.taskId!;
    const question = await say('delete renew passport');
    assert.equal(question.actions.length, 0, question.reply);
    const answer = await say('the one on friday');
    assert.deepEqual(
      answer.actions.map((a) => [a.type, a.taskId]),
      [['task.deleted', friday]],
    );
    assert.equal((await task(tuesday)).status, 'pending');
  });

  it('"it" and "that" mean the task the conversation is about', async () => {
    const say = conversation();
    const id = (await say('add call the bank tomorrow at 10am')).actions[0]!.taskId!;
    await say('make it high priority');
    await say('tag it with money');
    const done = await say('complete that');
    assert.equal(done.actions[0]?.taskId, id);
    const saved = await task(id);
    assert.deepEqual([saved.priority, saved.tags, saved.status], ['high', ['money'], 'completed']);
  });

  it('applies corrections: a new time, a mistyped title, the wrong task completed', async () => {
    const say = conversation();
    const dentist = (await say('add dentist tomorrow at 10am')).actions[0]!.taskId!;
    const before = new Date((await task(dentist)).dueDate!);
    await say('actually make it 4pm');
    const after = new Date((await task(dentist)).dueDate!);
    assert.equal(after.getTime() - before.getTime(), 6 * 3_600_000, 'same day, six hours later');

    const bread = (await say('add buy bred')).actions[0]!.taskId!;
    const renamed = await say('no, I meant buy bread');
    assert.equal(renamed.actions[0]?.type, 'task.updated');
    assert.equal((await task(bread)).title, 'buy bread');

    const report = (await say('add write the report')).actions[0]!.taskId!;
    await say('complete buy bread');
    const fixed = await say('sorry, I meant the report');
    assert.deepEqual(
      fixed.actions.map((a) => a.type),
      ['task.reopened', 'task.completed'],
    );
    assert.equal((await task(bread)).status, 'pending');
    assert.equal((await task(report)).status, 'completed');
  });

  it('says so when it cannot find the task, and changes nothing', async () => {
    const say = conversation();
    const before = (await call<TaskPage>('GET', '/api/v1/tasks?status=all&limit=200')).body.items
      .length;
    const reply = await say('complete feed the unicorn');
    assert.equal(reply.actions.length, 0);
    assert.match(reply.reply, /couldn't find a task called “feed the unicorn”/);
    // Any phrase is a task now ("purple monkey dishwasher" would be added); a keyboard mash is not.
    const unknown = await say('asdfgh jklqwe');
    assert.match(unknown.reply, /didn't understand/);
    assert.match(unknown.reply, /Try “call mom tomorrow at 6pm”/, 'a refusal suggests a phrasing');
    assert.equal(
      (await call<TaskPage>('GET', '/api/v1/tasks?status=all&limit=200')).body.items.length,
      before,
    );
  });

  it('turns a validation problem into words instead of an error', async () => {
    const say = conversation();
    const reply = await say(`add ${'x'.repeat(300)}`);
    assert.equal(reply.actions.length, 0);
    assert.match(reply.reply, /couldn't do that: title length must be less than or equal to 255/);
  });

  it('sets preferences from a sentence', async () => {
    const say = conversation();
    await say('set quiet hours from 10pm to 7am');
    await say('my time zone is Europe/Berlin');
    const prefs = (
      await call<{ quietHoursStart: string; timezone: string }>(
        'GET',
        '/api/v1/users/me/notifications',
      )
    ).body;
    assert.deepEqual([prefs.quietHoursStart, prefs.timezone], ['22:00', 'Europe/Berlin']);
  });

  it('publishes chat changes on the same event path as REST (other tabs see them)', async () => {
    const say = conversation();
    const id = (await say('add chat made this')).actions[0]!.taskId!;
    await t.publisher.waitFor(() =>
      t.publisher.published.some(
        (p) => p.topic === TOPICS.taskUpdates && (p.event.data as TaskChangedData).taskId === id,
      ),
    );
    const update = t.publisher.published.find(
      (p) => p.topic === TOPICS.taskUpdates && (p.event.data as TaskChangedData).taskId === id,
    )!;
    assert.equal((update.event.data as TaskChangedData).action, 'created');
    assert.ok(
      t.publisher.published.some(
        (p) => p.topic === TOPICS.taskEvents && p.event.subject === `tasks/${id}`,
      ),
    );
  });

  it('stores each turn of the conversation', async () => {
    const say = conversation();
    const first = await say('help');
    await say('list my tasks');
    const [rows] = await t.api.sequelize.query(
      'SELECT role, content FROM chat_messages WHERE conversation_id = :id ORDER BY created_at, role DESC',
      {
        replacements: { id: first.conversationId },
      },
    );
    assert.deepEqual(
      (rows as { role: string }[]).map((r) => r.role),
      ['user', 'assistant', 'user', 'assistant'],
    );
  });

  it('rejects bad input with a clear 4xx', async () => {
    assertError(await call('POST', '/api/v1/chat', { message: '' }), 400, 'VALIDATION_FAILED', [
      'message',
    ]);
    assertError(await call('POST', '/api/v1/chat', { message: '   ' }), 400, 'VALIDATION_FAILED', [
      'message',
    ]);
    assertError(await call('POST', '/api/v1/chat', {}), 400, 'VALIDATION_FAILED', ['message']);
    assertError(
      await call('POST', '/api/v1/chat', { message: 'x'.repeat(10_240) }),
      400,
      'VALIDATION_FAILED',
      ['message'],
    );
    assertError(
      await call('POST', '/api/v1/chat', { message: 'hi', conversationId: 'abc' }),
      400,
      'VALIDATION_FAILED',
      ['conversationId'],
    );
    assertError(
      await call('POST', '/api/v1/chat', {
        message: 'hi',
        conversationId: '00000000-0000-4000-8000-000000000000',
      }),
      404,
      'NOT_FOUND',
    );
    const mine = await conversation()('hi');
    const other = client(t.baseUrl, (await t.signUp()).token);
    assertError(
      await other('POST', '/api/v1/chat', {
        message: 'list my tasks',
        conversationId: mine.conversationId,
      }),
      404,
      'NOT_FOUND',
    );
    assertError(
      await client(t.baseUrl)('POST', '/api/v1/chat', { message: 'hi' }),
      401,
      'UNAUTHENTICATED',
    );
  });
});
