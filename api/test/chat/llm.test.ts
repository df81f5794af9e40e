import assert from 'node:assert/strict';
import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import express from 'express';
import type { ChatResponse, Task, TaskPage } from '@todo/contracts';
import { client, startTestApi, type TestApi } from '../helpers.js';

interface Completion {
  content?: string | null;
  tool_calls?: { id: string; type: 'function'; function: { name: string; arguments: string } }[];
}
type Step = Completion | { status: number } | { delayMs: number };

interface RecordedRequest {
  model: string;
  messages: { role: string; content: string | null; tool_call_id?: string }[];
  tools: { function: { name: string; parameters: { properties?: Record<string, unknown> } } }[];
}

/** A local server speaking the OpenAI chat-completions protocol, answering from a script. */
async function startFakeLlm() {
  const script: Step[] = [];
  const requests: RecordedRequest[] = [];
  const app = express();
  app.use(express.json({ limit: '1mb' }));
  app.post('/v1/chat/completions', async (req, res) => {
    requests.push(req.body as RecordedRequest);
    if (req.header('authorization') !== 'Bearer test-key')
      return void res.status(401).json({ error: 'bad key' });
    const step = script.shift() ?? { content: 'OK.' };
    if ('status' in step)
      return void res.status(step.status).json({ error: { message: 'overloaded' } });
    if ('delayMs' in step) await new Promise((r) => setTimeout(r, step.delayMs));
    const message = 'delayMs' in step ? { content: 'too late' } : step;
    res.json({
      id: 'cmpl-1',
      object: 'chat.completion',
      choices: [{ index: 0, message: { role: 'assistant', ...message }, finish_reason: 'stop' }],
    });
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`,
    script,
    requests,
    close: () => new Promise<void>((r) => server.close(() => r())),
  };
}

const toolCall = (name: string, args: unknown, id = 'call-1') => ({
  tool_calls: [
    { id, type: 'function' as const, function: { name, arguments: JSON.stringify(args) } },
  ],
});

describe('chat with an LLM (OpenAI-compatible tool calling)', () => {
  let llm: Awaited<ReturnType<typeof startFakeLlm>>;
  let t: TestApi;
  let call: ReturnType<typeof client>;

  before(async () => {
    llm = await startFakeLlm();
    t = await startTestApi({
      LLM_BASE_URL: llm.url,
      LLM_API_KEY: 'test-key',
      LLM_MODEL: 'fake-model',
      LLM_TIMEOUT_MS: '500',
    });
    call = client(t.baseUrl, (await t.signUp()).token);
  });
  beforeEach(() => {
    llm.script.length = 0;
    llm.requests.length = 0;
  });
  after(async () => {
    await t.stop();
    await llm.close();
  });

  const chat = (message: string) => call<ChatResponse>('POST', '/api/v1/chat', { message });
  const titles = async () =>
    (await call<TaskPage>('GET', '/api/v1/tasks?status=all&limit=200')).body.items.map(
      (x) => x.title,
    );

  it('lets the model create a task through a tool generated from the contracts', async () => {
    llm.script.push(
      toolCall('create_task', { title: 'Buy oat milk', priority: 'high', tags: ['home'] }),
      {
        content: 'Added “Buy oat milk” with high priority.',
      },
    );
    const res = await chat('I am out of oat milk, note it as important');
    assert.equal(res.status, 200);
    assert.equal(res.body.reply, 'Added “Buy oat milk” with high priority.');
    assert.equal(res.body.actions[0]?.type, 'task.created');
    const created = (await call<Task>('GET', `/api/v1/tasks/${res.body.actions[0]!.taskId}`)).body;
    assert.deepEqual(
      [created.title, created.priority, created.tags],
      ['Buy oat milk', 'high', ['home']],
    );

    const [first, second] = llm.requests;
    assert.equal(first?.model, 'fake-model');
    const tools = Object.fromEntries(
      first!.tools.map((tool) => [tool.function.name, tool.function.parameters]),
    );
    for (const name of [
      'list_tasks',
      'create_task',
      'update_task',
      'delete_task',
      'set_recurrence',
      'update_reminder',
      'update_preferences',
    ]) {
      assert.ok(tools[name], `tool ${name} offered`);
    }
    assert.ok(
      tools.create_task?.properties?.title,
      'create_task parameters come from createTaskSchema',
    );
    assert.match(first!.messages[0]!.content ?? '', /time zone is UTC/);
    const toolResult = second!.messages.find((m) => m.role === 'tool');
    assert.equal(toolResult?.tool_call_id, 'call-1');
    assert.match(toolResult?.content ?? '', /Added/);
  });

  it('feeds invalid tool arguments back to the model instead of acting', async () => {
    llm.script.push(toolCall('create_task', { title: 'x'.repeat(300) }), {
      content: 'That title is too long.',
    });
    const before = await titles();
    const res = await chat('add a very long thing');
    assert.equal(res.body.reply, 'That title is too long.');
    assert.equal(res.body.actions.length, 0);
    assert.match(
      llm.requests[1]!.messages.find((m) => m.role === 'tool')?.content ?? '',
      /title length must be less than or equal to 255/,
    );
    assert.deepEqual(await titles(), before);
  });

  it('finds the task with list_tasks, then completes it by id', async () => {
    const id = (await call<Task>('POST', '/api/v1/tasks', { title: 'File expenses' })).body.id;
    llm.script.push(
      toolCall('list_tasks', { q: 'expenses' }),
      toolCall('update_task', { taskId: id, changes: { status: 'completed' } }, 'call-2'),
      {
        content: 'Marked “File expenses” as done.',
      },
    );
    const res = await chat('I filed my expenses');
    assert.deepEqual(
      res.body.actions.map((a) => a.type),
      ['tasks.listed', 'task.completed'],
    );
    assert.equal((await call<Task>('GET', `/api/v1/tasks/${id}`)).body.status, 'completed');
    assert.match(llm.requests[1]!.messages.at(-1)?.content ?? '', new RegExp(id));
  });

  it('gives the model the earlier turns of the conversation, in order', async () => {
    llm.script.push({ content: 'First answer.' }, { content: 'Second answer.' });
    const first = await chat('first question');
    await call<ChatResponse>('POST', '/api/v1/chat', {
      message: 'second question',
      conversationId: first.body.conversationId,
    });
    const dialogue = llm.requests[1]!.messages.filter(
      (m) => m.role === 'user' || m.role === 'assistant',
    ).map((m) => [m.role, m.content]);
    assert.deepEqual(dialogue, [
      ['user', 'first question'],
      ['assistant', 'First answer.'],
      ['user', 'second question'],
    ]);
  });

  it('falls back to the built-in interpreter when the model errors', async () => {
    llm.script.push({ status: 503 });
    const res = await chat('add water the ficus');
    assert.equal(res.status, 200);
    assert.equal(res.body.actions[0]?.type, 'task.created');
    assert.match(res.body.reply, /Added “water the ficus”/);
  });

  it('falls back when the model is slower than its deadline', async () => {
    llm.script.push({ delayMs: 2000 });
    const res = await chat('add feed the cat');
    assert.equal(res.body.actions[0]?.type, 'task.created');
    assert.match(res.body.reply, /Added “feed the cat”/);
  });

  it('does not redo work when the model fails after acting', async () => {
    llm.script.push(toolCall('create_task', { title: 'Only once' }), { status: 500 });
    const res = await chat('add only once');
    assert.deepEqual(
      res.body.actions.map((a) => a.type),
      ['task.created'],
    );
    assert.equal((await titles()).filter((x) => x.toLowerCase() === 'only once').length, 1);
  });
});
