import assert from 'node:assert/strict';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { StdioClientTransport } from '@modelcontextprotocol/sdk/client/stdio.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';
import { ErrorCode, McpError, type CallToolResult } from '@modelcontextprotocol/sdk/types.js';
import type { CreatedPersonalAccessToken, Task, TaskPage } from '@todo/contracts';
import { client, startTestApi, type TestApi } from './helpers.js';

const REPO_ROOT = fileURLToPath(new URL('../../', import.meta.url));

describe('MCP server', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;
  let jwt: string;
  let writeToken: string;
  let readToken: string;
  const clients: Client[] = [];

  async function connect(token: string): Promise<Client> {
    const mcp = new Client({ name: 'test-assistant', version: '1.0.0' });
    await mcp.connect(
      new StreamableHTTPClientTransport(new URL('/mcp', t.baseUrl), {
        requestInit: { headers: { authorization: `Bearer ${token}` } },
      }),
    );
    clients.push(mcp);
    return mcp;
  }
  const tool = async <T>(mcp: Client, name: string, args: Record<string, unknown>) => {
    const result = (await mcp.callTool({ name, arguments: args })) as CallToolResult;
    return { result, value: result.structuredContent as T };
  };
  const token = async (scope: 'read' | 'write') =>
    (
      await call<CreatedPersonalAccessToken>('POST', '/api/v1/users/me/tokens', {
        name: `mcp ${scope}`,
        scope,
      })
    ).body.token;

  before(async () => {
    t = await startTestApi();
    jwt = (await t.signUp()).token;
    call = client(t.baseUrl, jwt);
    await call('PATCH', '/api/v1/users/me/notifications', { timezone: 'Europe/Berlin' });
    writeToken = await token('write');
    readToken = await token('read');
  });
  after(async () => {
    for (const mcp of clients) await mcp.close();
    await t.stop();
  });

  it('lists its tools with JSON Schema inputs, and the today and overdue resources', async () => {
    const mcp = await connect(writeToken);
    const { tools } = await mcp.listTools();
    assert.deepEqual(
      tools.map((x) => x.name),
      [
        'list_tasks',
        'search_tasks',
        'get_task',
        'add_task',
        'update_task',
        'complete_task',
        'delete_task',
      ],
    );
    const add = tools.find((x) => x.name === 'add_task')!;
    assert.equal(add.inputSchema.type, 'object');
    assert.ok(add.inputSchema.properties?.text && add.inputSchema.properties.dueDate);
    assert.equal(JSON.stringify(tools).includes('#/components'), false, 'no dangling $refs');
    assert.equal(tools.find((x) => x.name === 'get_task')!.annotations?.readOnlyHint, true);
    assert.equal(tools.find((x) => x.name === 'delete_task')!.annotations?.destructiveHint, true);
    const { resources } = await mcp.listResources();
    assert.deepEqual(
      resources.map((r) => r.uri),
      ['todo://tasks/today', 'todo://tasks/overdue'],
    );
  });

  it('adds, finds, reads, updates, completes and deletes a task, each change in the outbox', async () => {
    const mcp = await connect(writeToken);
    const { value: added } = await tool<Task>(mcp, 'add_task', {
      title: 'Renew passport',
      dueDate: '2030-03-01T09:00:00+01:00',
      priority: 'high',
      tags: ['admin'],
    });
    assert.equal(added.title, 'Renew passport');
    assert.equal(added.dueDate, '2030-03-01T08:00:00.000Z');
    await t.publisher.waitFor(() =>
      t.publisher.published.some(
        (p) => p.event.type.endsWith('task.created') && p.event.subject === `tasks/${added.id}`,
      ),
    );
    // The REST API sees the same task.
    assert.equal(
      (await call<Task>('GET', `/api/v1/tasks/${added.id}`)).body.title,
      'Renew passport',
    );

    const { value: found } = await tool<TaskPage>(mcp, 'search_tasks', { q: 'passport' });
    assert.deepEqual(
      found.items.map((x) => x.id),
      [added.id],
    );
    const { value: listed } = await tool<TaskPage>(mcp, 'list_tasks', { tag: 'admin' });
    assert.deepEqual(
      listed.items.map((x) => x.id),
      [added.id],
    );
    assert.equal((await tool<Task>(mcp, 'get_task', { id: added.id })).value.priority, 'high');

    const { value: renamed } = await tool<Task>(mcp, 'update_task', {
      id: added.id,
      title: 'Renew passport and ID',
      expectedVersion: added.version,
    });
    assert.equal(renamed.title, 'Renew passport and ID');
    const stale = await tool(mcp, 'update_task', {
      id: added.id,
      title: 'Lost update',
      expectedVersion: added.version,
    });
    assert.equal(stale.result.isError, true);
    assert.match(JSON.stringify(stale.result.content), /CONFLICT/);

    const first = await tool<{ task: Task }>(mcp, 'complete_task', { id: added.id });
    assert.equal(first.value.task.status, 'completed');
    const again = await tool<{ task: Task }>(mcp, 'complete_task', { id: added.id });
    assert.equal(again.value.task.version, first.value.task.version, 'a retry changes nothing');

    await tool(mcp, 'delete_task', { id: added.id });
    const gone = await tool(mcp, 'get_task', { id: added.id });
    assert.equal(gone.result.isError, true);
    assert.match(JSON.stringify(gone.result.content), /NOT_FOUND/);
  });

  it('reads a task said in plain words with the task-language parser; given fields win', async () => {
    const mcp = await connect(jwt);
    const { value: task } = await tool<Task>(mcp, 'add_task', {
      text: 'call mum tomorrow at 6pm #family',
    });
    assert.equal(task.title.toLowerCase(), 'call mum');
    assert.deepEqual(task.tags, ['family']);
    assert.ok(task.dueDate, 'the date was read');
    const berlin = new Intl.DateTimeFormat('en-GB', {
      timeZone: 'Europe/Berlin',
      hour: '2-digit',
      minute: '2-digit',
    }).format(new Date(task.dueDate));
    assert.equal(berlin, '18:00', 'in the user’s zone');

    const { value: overridden } = await tool<Task>(mcp, 'add_task', {
      text: 'water plants !high',
      priority: 'low',
    });
    assert.equal(overridden.priority, 'low');
  });

  it('answers bad arguments with a JSON-RPC invalid-params error naming each field', async () => {
    const mcp = await connect(writeToken);
    await assert.rejects(
      mcp.callTool({ name: 'add_task', arguments: { priority: 'urgent' } }),
      (error: unknown) => {
        assert.ok(error instanceof McpError);
        assert.equal(error.code, ErrorCode.InvalidParams);
        assert.match(error.message, /priority/);
        const details = (error.data as { details: { field: string }[] }).details;
        assert.ok(details.some((d) => d.field === 'priority'));
        return true;
      },
    );
    await assert.rejects(
      mcp.callTool({ name: 'get_task', arguments: { id: 'not-a-uuid' } }),
      (error: unknown) =>
        error instanceof McpError &&
        error.code === ErrorCode.InvalidParams &&
        /id/.test(error.message),
    );
    await assert.rejects(
      mcp.callTool({ name: 'drop_database', arguments: {} }),
      (error: unknown) => error instanceof McpError && error.code === ErrorCode.InvalidParams,
    );
  });

  it('a read-only token reads but every change is refused, naming the scope', async () => {
    const mcp = await connect(readToken);
    assert.equal((await tool(mcp, 'list_tasks', {})).result.isError, undefined);
    const refused = await tool(mcp, 'add_task', { title: 'Not allowed' });
    assert.equal(refused.result.isError, true);
    const [message] = refused.result.content;
    assert.match(message?.type === 'text' ? message.text : '', /"read" scope/);
    const titles = (await call<TaskPage>('GET', '/api/v1/tasks?q=allowed')).body.items;
    assert.deepEqual(titles, []);
  });

  it('refuses a revoked token at once, and a request without one', async () => {
    const revoked = await call<CreatedPersonalAccessToken>('POST', '/api/v1/users/me/tokens', {
      name: 'soon revoked',
      scope: 'write',
    });
    const mcp = await connect(revoked.body.token);
    await call('DELETE', `/api/v1/users/me/tokens/${revoked.body.id}`);
    await assert.rejects(mcp.listTools(), /401|not valid or was revoked/);
    const anonymous = await fetch(`${t.baseUrl}/mcp`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });
    assert.equal(anonymous.status, 401);
  });

  it('serves "today" and "overdue" in the user’s zone', async () => {
    const mcp = await connect(writeToken);
    const soon = new Date(Date.now() + 60_000);
    const endOfBerlinDay = new Intl.DateTimeFormat('en-CA', {
      timeZone: 'Europe/Berlin',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
    }).format(soon);
    const { value: late } = await tool<Task>(mcp, 'add_task', {
      title: 'Late one',
      dueDate: new Date(Date.now() - 3 * 86_400_000).toISOString(),
    });
    const { value: today } = await tool<Task>(mcp, 'add_task', {
      title: 'Today one',
      // Later today in Berlin (or, just before midnight, the first minute of the task's day).
      dueDate: soon.toISOString(),
    });
    const read = async (uri: string) => {
      const { contents } = await mcp.readResource({ uri });
      const [first] = contents;
      assert.ok(first && 'text' in first, 'a JSON text resource');
      return (JSON.parse(first.text) as TaskPage).items.map((x) => x.id);
    };
    const overdue = await read('todo://tasks/overdue');
    assert.ok(overdue.includes(late.id));
    assert.equal(overdue.includes(today.id), false);
    const dueToday = await read('todo://tasks/today');
    const sameBerlinDay =
      new Intl.DateTimeFormat('en-CA', {
        timeZone: 'Europe/Berlin',
        year: 'numeric',
        month: '2-digit',
        day: '2-digit',
      }).format(new Date()) === endOfBerlinDay;
    if (sameBerlinDay) assert.ok(dueToday.includes(today.id), 'due later today');
    assert.equal(dueToday.includes(late.id), false);
  });

  it('a retried add_task with the same idempotencyKey makes one task; the key with other arguments is refused', async () => {
    const mcp = await connect(writeToken);
    const idempotencyKey = `mcp-${crypto.randomUUID()}`;
    const args = { text: 'book flights friday 9am #trip', idempotencyKey };
    const { value: first } = await tool<Task>(mcp, 'add_task', args);
    // The answer was lost on the way back: the assistant sends the same call again.
    const { value: again } = await tool<Task>(mcp, 'add_task', args);
    assert.equal(again.id, first.id);
    assert.equal(again.version, first.version);
    const made = (await call<TaskPage>('GET', '/api/v1/tasks?q=flights')).body.items;
    assert.deepEqual(
      made.map((x) => x.id),
      [first.id],
      'one task, not two',
    );
    const created = t.publisher.published.filter(
      (p) => p.event.type.endsWith('task.created') && p.event.subject === `tasks/${first.id}`,
    );
    assert.equal(created.length, 1, 'one created event in the outbox');

    const reused = await tool(mcp, 'add_task', { title: 'Something else', idempotencyKey });
    assert.equal(reused.result.isError, true);
    assert.match(JSON.stringify(reused.result.content), /Idempotency-Key|idempotency/i);

    // The other write tools too: a retried delete answers as the first, not "not found".
    const deleteKey = `mcp-${crypto.randomUUID()}`;
    await tool(mcp, 'delete_task', { id: first.id, idempotencyKey: deleteKey });
    const retried = await tool(mcp, 'delete_task', { id: first.id, idempotencyKey: deleteKey });
    assert.equal(retried.result.isError, undefined);
    assert.deepEqual(retried.value, { deleted: first.id });

    await assert.rejects(
      mcp.callTool({ name: 'add_task', arguments: { title: 'x', idempotencyKey: 'short' } }),
      (error: unknown) =>
        error instanceof McpError &&
        error.code === ErrorCode.InvalidParams &&
        /idempotencyKey/.test(error.message),
    );
  });

  it('the stdio entry (npm run -s mcp) relays to the api with a personal access token', async () => {
    const mcp = new Client({ name: 'desktop-assistant', version: '1.0.0' });
    await mcp.connect(
      new StdioClientTransport({
        command: 'npm',
        args: ['run', '-s', 'mcp'],
        cwd: REPO_ROOT,
        env: {
          ...(process.env as Record<string, string>),
          TODO_URL: t.baseUrl,
          TODO_TOKEN: writeToken,
        },
        stderr: 'pipe',
      }),
    );
    clients.push(mcp);
    assert.equal((await mcp.listTools()).tools.length, 7);
    const { value } = await tool<Task>(mcp, 'add_task', { title: 'Made over stdio' });
    assert.equal(
      (await call<Task>('GET', `/api/v1/tasks/${value.id}`)).body.title,
      'Made over stdio',
    );
  });
});

describe('MCP rate limit', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi({ RATE_LIMIT_PER_MINUTE: '4' });
  });
  after(() => t.stop());

  const listTools = (token: string) =>
    fetch(`${t.baseUrl}/mcp`, {
      method: 'POST',
      headers: {
        authorization: `Bearer ${token}`,
        'content-type': 'application/json',
        accept: 'application/json, text/event-stream',
      },
      body: JSON.stringify({ jsonrpc: '2.0', id: 1, method: 'tools/list' }),
    });

  it('spends the same per-user minute budget as the REST api, then answers 429 with Retry-After', async () => {
    const { token } = await t.signUp();
    const call = client(t.baseUrl, token);
    assert.equal((await call('GET', '/api/v1/tasks')).status, 200);
    assert.equal((await call('GET', '/api/v1/tasks')).status, 200);
    assert.equal((await listTools(token)).status, 200);
    assert.equal((await listTools(token)).status, 200);
    const refused = await listTools(token);
    assert.equal(refused.status, 429);
    assert.ok(Number(refused.headers.get('retry-after')) > 0, 'says when to retry');
    assert.match(((await refused.json()) as { message: string }).message, /requests a minute/);
    assert.equal((await call('GET', '/api/v1/tasks')).status, 429, 'REST shares the budget');

    // Per user: someone else's assistant is not slowed down.
    const other = await t.signUp();
    assert.equal((await listTools(other.token)).status, 200);
  });
});
