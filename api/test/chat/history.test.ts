import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type {
  ChatMessage,
  ChatMessagePage,
  ChatResponse,
  ConversationPage,
  ConversationSummary,
} from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from '../helpers.js';

type Call = ReturnType<typeof client>;

describe('chat history over HTTP: conversations read back, paged and deleted', () => {
  let t: TestApi;
  let call: Call;

  before(async () => {
    t = await startTestApi();
    call = client(t.baseUrl, (await t.signUp()).token);
  });
  after(() => t.stop());

  async function say(as: Call, message: string, conversationId?: string): Promise<ChatResponse> {
    const res = await as<ChatResponse>('POST', '/api/v1/chat', {
      message,
      ...(conversationId ? { conversationId } : {}),
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  }

  async function get<T>(as: Call, path: string): Promise<T> {
    const res = await as<T>('GET', path);
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body;
  }

  /** Every page of a conversation, walking back from the latest, in reading order. */
  async function allMessages(as: Call, id: string, limit: number) {
    const pages: ChatMessage[][] = [];
    let cursor: string | null = null;
    do {
      const page: ChatMessagePage = await get<ChatMessagePage>(
        as,
        `/api/v1/chat/conversations/${id}/messages?limit=${limit}${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.ok(page.items.length <= limit);
      pages.unshift(page.items);
      cursor = page.nextCursor;
    } while (cursor);
    return { pages, messages: pages.flat() };
  }

  it('reads a conversation back oldest → newest, with the actions of each assistant turn', async () => {
    const added = await say(call, 'add water the plants tomorrow at 9');
    const id = added.conversationId;
    const taskId = added.actions[0]!.taskId!;
    const repeated = await say(call, 'make it every Friday', id);
    const page = await get<ChatMessagePage>(call, `/api/v1/chat/conversations/${id}/messages`);
    assert.equal(page.nextCursor, null, 'everything fits on one page');
    assert.deepEqual(
      page.items.map((m) => [m.role, m.text]),
      [
        ['user', 'add water the plants tomorrow at 9'],
        ['assistant', added.reply],
        ['user', 'make it every Friday'],
        ['assistant', repeated.reply],
      ],
    );
    assert.deepEqual(page.items[1]!.actions, added.actions, 'actions round-trip as sent');
    assert.deepEqual(page.items[3]!.actions, repeated.actions);
    assert.equal(page.items[3]!.actions![0]!.taskId, taskId);
    assert.equal(page.items[0]!.actions, undefined, 'user messages carry no actions');
    assert.equal(new Set(page.items.map((m) => m.id)).size, 4);
    for (const m of page.items) assert.ok(!Number.isNaN(Date.parse(m.createdAt)));

    // The conversation goes on after reading it back: "it" still means the same task.
    const reminded = await say(call, 'remind me an hour before', id);
    assert.deepEqual(
      reminded.actions.map((a) => [a.type, a.taskId]),
      [['reminder.set', taskId]],
    );
  });

  it('pages messages backwards from the latest without gaps or repeats', async () => {
    const user = client(t.baseUrl, (await t.signUp()).token);
    const first = await say(user, 'help');
    for (let i = 1; i <= 6; i++) await say(user, `add paging errand ${i}`, first.conversationId);
    // 7 turns = 14 messages; pages of 4 → 4 + 4 + 4 + 2, the short page being the oldest.
    const { pages, messages } = await allMessages(user, first.conversationId, 4);
    assert.deepEqual(
      pages.map((p) => p.length),
      [2, 4, 4, 4],
    );
    assert.equal(messages.length, 14);
    assert.equal(new Set(messages.map((m) => m.id)).size, 14, 'no message twice');
    assert.deepEqual(
      messages.filter((m) => m.role === 'user').map((m) => m.text),
      ['help', ...[1, 2, 3, 4, 5, 6].map((i) => `add paging errand ${i}`)],
    );
    assert.deepEqual(
      messages.map((m) => m.role),
      Array.from({ length: 14 }, (_, i) => (i % 2 === 0 ? 'user' : 'assistant')),
    );
    const latest = await get<ChatMessagePage>(
      user,
      `/api/v1/chat/conversations/${first.conversationId}/messages?limit=2`,
    );
    assert.deepEqual(
      latest.items.map((m) => m.text)[0],
      'add paging errand 6',
      'without a cursor: the latest messages',
    );
  });

  it('lists conversations by most recent activity, with title, counts and pages', async () => {
    const user = client(t.baseUrl, (await t.signUp()).token);
    const a = await say(user, 'add conversation A task');
    const b = await say(user, 'add conversation B task');
    const c = await say(user, `show my tasks ${'and more '.repeat(20)}`);
    // Activity in A moves it to the top.
    await say(user, 'list my tasks', a.conversationId);
    const all = await get<ConversationPage>(user, '/api/v1/chat/conversations');
    assert.deepEqual(
      all.items.map((s) => s.id),
      [a.conversationId, c.conversationId, b.conversationId],
    );
    assert.equal(all.nextCursor, null);
    const [top, long] = all.items as [ConversationSummary, ConversationSummary];
    assert.equal(top.title, 'add conversation A task', 'titled by the first user message');
    assert.equal(top.messageCount, 4);
    assert.equal(all.items[2]!.messageCount, 2);
    assert.ok(Date.parse(top.updatedAt) >= Date.parse(top.createdAt));
    assert.equal(long.title!.length, 80, 'long first messages are cut to a preview');
    assert.ok(long.title!.startsWith('show my tasks and more'));

    const seen: string[] = [];
    let cursor: string | null = null;
    do {
      const page: ConversationPage = await get<ConversationPage>(
        user,
        `/api/v1/chat/conversations?limit=1${cursor ? `&cursor=${cursor}` : ''}`,
      );
      assert.equal(page.items.length, 1);
      seen.push(page.items[0]!.id);
      cursor = page.nextCursor;
    } while (cursor);
    assert.deepEqual(seen, [a.conversationId, c.conversationId, b.conversationId]);
  });

  it("keeps users apart: another user's conversation is a 404 everywhere", async () => {
    const mine = await say(call, 'add a private errand');
    const other = client(t.baseUrl, (await t.signUp()).token);
    const theirs = await get<ConversationPage>(other, '/api/v1/chat/conversations');
    assert.deepEqual(theirs.items, [], 'a new user has no conversations');
    assertError(
      await other('GET', `/api/v1/chat/conversations/${mine.conversationId}/messages`),
      404,
      'NOT_FOUND',
      ['id'],
    );
    assertError(
      await other('DELETE', `/api/v1/chat/conversations/${mine.conversationId}`),
      404,
      'NOT_FOUND',
      ['id'],
    );
    // Still there for its owner.
    const page = await get<ChatMessagePage>(
      call,
      `/api/v1/chat/conversations/${mine.conversationId}/messages`,
    );
    assert.equal(page.items[0]!.text, 'add a private errand');
  });

  it('deletes a conversation: gone from the list, its messages 404, continuing it 404s naming conversationId', async () => {
    const user = client(t.baseUrl, (await t.signUp()).token);
    const kept = await say(user, 'add keep this one');
    const gone = await say(user, 'add forget this one');
    const deleted = await user('DELETE', `/api/v1/chat/conversations/${gone.conversationId}`);
    assert.equal(deleted.status, 204);
    const list = await get<ConversationPage>(user, '/api/v1/chat/conversations');
    assert.deepEqual(
      list.items.map((s) => s.id),
      [kept.conversationId],
    );
    assertError(
      await user('GET', `/api/v1/chat/conversations/${gone.conversationId}/messages`),
      404,
      'NOT_FOUND',
      ['id'],
    );
    const body = assertError(
      await user('POST', '/api/v1/chat', {
        message: 'make it every Friday',
        conversationId: gone.conversationId,
      }),
      404,
      'NOT_FOUND',
      ['conversationId'],
    );
    assert.match(body.message, /conversationId/);
    assertError(
      await user('DELETE', `/api/v1/chat/conversations/${gone.conversationId}`),
      404,
      'NOT_FOUND',
      ['id'],
    );
    // The task the conversation created stays: deleting a chat is not deleting tasks.
    const task = await user('GET', `/api/v1/tasks/${gone.actions[0]!.taskId}`);
    assert.equal(task.status, 200);
  });

  it('rejects bad ids, limits and cursors with a 400 naming the field', async () => {
    assertError(
      await call('GET', '/api/v1/chat/conversations/not-a-uuid/messages'),
      400,
      'VALIDATION_FAILED',
      ['id'],
    );
    assertError(
      await call('DELETE', '/api/v1/chat/conversations/not-a-uuid'),
      400,
      'VALIDATION_FAILED',
      ['id'],
    );
    assertError(await call('GET', '/api/v1/chat/conversations?limit=0'), 400, 'VALIDATION_FAILED', [
      'limit',
    ]);
    assertError(
      await call('GET', '/api/v1/chat/conversations?limit=101&sort=x'),
      400,
      'VALIDATION_FAILED',
      ['limit', 'sort'],
    );
    const forged = [
      'garbage',
      Buffer.from('{"u":"not-a-number","id":"x"}').toString('base64url'),
      Buffer.from(
        '{"u":"99999999999999999999","id":"00000000-0000-4000-8000-000000000000"}',
      ).toString('base64url'),
      // Shaped like a uuid to a loose pattern, but not one: it must not reach SQL.
      Buffer.from('{"u":"1","id":"------------------------------------"}').toString('base64url'),
    ];
    for (const cursor of forged) {
      assertError(
        await call('GET', `/api/v1/chat/conversations?cursor=${cursor}`),
        400,
        'VALIDATION_FAILED',
        ['cursor'],
      );
    }
    const { conversationId } = await say(call, 'help');
    for (const cursor of [
      'garbage',
      Buffer.from('{"s":"-1"}').toString('base64url'),
      // 19 digits but past PostgreSQL's bigint: a 400 naming the cursor, not a database error.
      Buffer.from('{"s":"9999999999999999999"}').toString('base64url'),
    ]) {
      assertError(
        await call('GET', `/api/v1/chat/conversations/${conversationId}/messages?cursor=${cursor}`),
        400,
        'VALIDATION_FAILED',
        ['cursor'],
      );
    }
    assertError(
      await call('GET', `/api/v1/chat/conversations/${conversationId}/messages?limit=500`),
      400,
      'VALIDATION_FAILED',
      ['limit'],
    );
    assertError(
      await call('GET', '/api/v1/chat/conversations/00000000-0000-4000-8000-000000000000/messages'),
      404,
      'NOT_FOUND',
      ['id'],
    );
    assertError(
      await client(t.baseUrl)('GET', '/api/v1/chat/conversations'),
      401,
      'UNAUTHENTICATED',
    );
  });
});
