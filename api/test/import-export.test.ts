import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { parse } from 'csv-parse/sync';
import {
  TASKS_CSV_COLUMNS,
  userExportSchema,
  type ErrorBody,
  type ImportReport,
  type Task,
  type TaskPage,
  type UserExport,
} from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from './helpers.js';

const fixture = (name: string) => readFileSync(new URL(`./fixtures/${name}`, import.meta.url));
const TODOIST = fixture('todoist-export.csv');
const ICS = fixture('tasks.ics');

describe('import and export', () => {
  let t: TestApi;
  before(async () => {
    t = await startTestApi();
  });
  after(() => t.stop());

  /** A signed-in user in Berlin, with a JSON client and a file poster. */
  async function user() {
    const { token } = await t.signUp();
    const call = client(t.baseUrl, token);
    await call('PATCH', '/api/v1/users/me/notifications', { timezone: 'Europe/Berlin' });
    const upload = async <T = ImportReport>(
      query: string,
      body: Buffer | string,
      headers: Record<string, string> = {},
    ) => {
      const response = await fetch(`${t.baseUrl}/api/v1/users/me/import?${query}`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'text/csv', ...headers },
        body,
      });
      return { status: response.status, body: (await response.json()) as T };
    };
    const get = (path: string) =>
      fetch(`${t.baseUrl}${path}`, { headers: { authorization: `Bearer ${token}` } });
    const tasks = async () =>
      (await call<TaskPage>('GET', '/api/v1/tasks?status=all&limit=200')).body.items;
    return { token, call, upload, get, tasks };
  }

  const createdEvents = () =>
    t.publisher.published.filter((p) => p.event.type.endsWith('task.created')).length;

  it('previews a Todoist export: what it will create, and every skipped row with why; nothing changes', async () => {
    const u = await user();
    const { status, body } = await u.upload('source=todoist&dryRun=true', TODOIST);
    assert.equal(status, 200, JSON.stringify(body));
    assert.equal(body.dryRun, true);
    assert.deepEqual(
      body.created.map((c) => [c.row, c.title, c.priority, c.tags, c.id]),
      [
        [4, 'Water the plants', 'high', ['home', 'garden'], null], // p1, a section, a label
        [6, 'Pay rent', 'high', ['home'], null], // p2
        [9, 'Write report, part 2', 'medium', ['work'], null], // p3
        [10, 'Call the bank', 'medium', ['work'], null], // p4: Todoist's "no priority"
      ],
    );
    const [plants, rent, report] = body.created;
    // "every monday", read by the chat's parser, in the row's TIMEZONE.
    assert.deepEqual(plants?.recurrence?.byWeekday, [0]);
    assert.equal(plants?.recurrence?.frequency, 'weekly');
    assert.equal(plants?.description, 'Use the rain barrel\n\nNot the cactus', 'the note joins');
    assert.equal(rent?.recurrence?.byMonthday, 1);
    assert.equal(report?.dueDate, '2027-01-15T09:00:00.000Z', '10:00 in Berlin');
    assert.equal(report?.description, 'Sections:\n- numbers\n- "risks"');

    const reasons = Object.fromEntries(body.skipped.map((s) => [s.row, s.reason]));
    assert.deepEqual(Object.keys(reasons).map(Number), [11, 12, 13, 14, 15, 16, 17]);
    assert.match(reasons[11]!, /CONTENT/);
    assert.match(reasons[12]!, /row 11, which is skipped/);
    assert.match(reasons[13]!, /PRIORITY "7"/);
    assert.match(reasons[14]!, /DATE "jeden Montag".*DATE_LANG de/);
    assert.match(reasons[15]!, /TIMEZONE "Mars\/Olympus_Mons"/);
    assert.match(reasons[16]!, /TYPE "project"/);
    assert.match(reasons[17]!, /title.*255/);

    assert.deepEqual(await u.tasks(), [], 'a dry run creates nothing');
  });

  it('imports a Todoist export in one go, live through the outbox, and a retry with the same key imports nothing twice', async () => {
    const u = await user();
    const before = createdEvents();
    const key = { 'idempotency-key': `import-${crypto.randomUUID()}` };
    const first = await u.upload('source=todoist', TODOIST, key);
    assert.equal(first.status, 200, JSON.stringify(first.body));
    assert.equal(first.body.dryRun, false);
    assert.equal(first.body.created.length, 4);
    assert.equal(first.body.skipped.length, 7);
    const ids = first.body.created.map((c) => c.id);
    assert.ok(ids.every((id) => typeof id === 'string'));

    const tasks = await u.tasks();
    assert.deepEqual(tasks.map((x) => x.id).sort(), [...ids].sort());
    const plants = tasks.find((x) => x.title === 'Water the plants')!;
    assert.equal(plants.recurrence?.frequency, 'weekly');
    assert.ok(plants.reminderOffset !== null, 'the default reminder, as any new task');
    await t.publisher.waitFor(() => createdEvents() >= before + 4);

    // The answer was lost; the browser sends the same file with the same key again.
    const again = await u.upload('source=todoist', TODOIST, key);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body, first.body);
    assert.equal((await u.tasks()).length, 4, 'nothing imported twice');

    const reused = await u.upload('source=ics', ICS, key);
    assertError(
      { status: reused.status, body: reused.body, headers: new Headers() },
      422,
      'UNPROCESSABLE',
      ['Idempotency-Key'],
    );
  });

  it('never half-imports: a failure at the last row leaves nothing, and the retry with the same key imports all', async () => {
    const u = await user();
    const file =
      'TYPE,CONTENT,DESCRIPTION,PRIORITY,INDENT,AUTHOR,RESPONSIBLE,DATE,DATE_LANG,TIMEZONE\r\n' +
      'task,First of three,,1,1,,,,,\r\n' +
      'task,Second of three,,2,1,,,tomorrow 9am,en,\r\n' +
      'task,Third of three,,3,1,,,,,\r\n';
    // A fault injected in the database: the third insert fails, as a crash mid-import would.
    await t.api.sequelize.query(`
      CREATE FUNCTION refuse_third() RETURNS trigger AS $$
      BEGIN
        IF NEW.title = 'Third of three' THEN RAISE EXCEPTION 'injected failure'; END IF;
        RETURN NEW;
      END $$ LANGUAGE plpgsql;
      CREATE TRIGGER refuse_third BEFORE INSERT ON tasks
        FOR EACH ROW EXECUTE FUNCTION refuse_third();`);
    const key = { 'idempotency-key': `import-${crypto.randomUUID()}` };
    try {
      const failed = await u.upload<ErrorBody>('source=todoist', file, key);
      assert.equal(failed.status, 500);
      assert.deepEqual(await u.tasks(), [], 'neither of the first two stayed');
    } finally {
      await t.api.sequelize.query(
        'DROP TRIGGER refuse_third ON tasks; DROP FUNCTION refuse_third();',
      );
    }
    const retried = await u.upload('source=todoist', file, key);
    assert.equal(retried.status, 200, 'the key was not kept by the failed attempt');
    assert.deepEqual((await u.tasks()).map((x) => x.title).sort(), [
      'First of three',
      'Second of three',
      'Third of three',
    ]);
  });

  it('imports the to-dos of an iCalendar file: due in its zone, priority, categories, series and alarm', async () => {
    const u = await user();
    const preview = await u.upload('source=ics&dryRun=true', ICS, {
      'content-type': 'text/calendar',
    });
    assert.equal(preview.status, 200, JSON.stringify(preview.body));
    assert.deepEqual(
      preview.body.skipped.map((s) => [s.row, s.reason]),
      [
        [3, '"Return library books" is already completed'],
        [4, 'the to-do has no SUMMARY (title)'],
        [6, '"Team lunch" is an event (VEVENT): only to-dos (VTODO) are imported'],
      ],
    );
    const { status, body } = await u.upload('source=ics', ICS, {
      'content-type': 'text/calendar',
    });
    assert.equal(status, 200);
    const tasks = await u.tasks();
    const byTitle = new Map(tasks.map((x) => [x.title, x]));
    const passport = byTitle.get('Renew passport')!;
    assert.equal(passport.dueDate, '2027-01-15T08:00:00.000Z', '09:00 Europe/Berlin');
    assert.equal(passport.priority, 'high');
    assert.deepEqual(passport.tags, ['admin', 'travel']);
    assert.equal(passport.reminderOffset, 30);
    assert.match(passport.description ?? '', /old passport, and book the appointment online/);
    const bins = byTitle.get('Take out the bins')!;
    assert.equal(bins.dueDate, '2026-12-03T08:00:00.000Z', 'a date alone is 09:00 local');
    assert.equal(bins.recurrence?.rrule, 'FREQ=WEEKLY;BYDAY=TH');
    assert.equal(byTitle.get('Learn the cello')?.priority, 'low');
    assert.deepEqual(body.created.map((c) => c.id).sort(), tasks.map((x) => x.id).sort());
  });

  it('refuses a file that is not what it claims, too large, or missing: naming the problem, importing nothing', async () => {
    const u = await user();
    const cases: Array<[string, Buffer | string, string, RegExp]> = [
      ['source=todoist', ICS, 'text/calendar', /not a Todoist CSV export/],
      ['source=todoist', 'name,email\r\nAda,ada@example.com\r\n', 'text/csv', /TYPE, CONTENT/],
      [
        'source=todoist',
        'TYPE,CONTENT\r\ntask,"never closed\r\n',
        'text/csv',
        /not a readable CSV/,
      ],
      [
        'source=todoist',
        Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]),
        'image/png',
        /not UTF-8 text|binary/,
      ],
      ['source=ics', TODOIST, 'text/csv', /BEGIN:VCALENDAR/],
      [
        'source=ics',
        'BEGIN:VCALENDAR\r\nVERSION:2.0\r\nEND:VCALENDAR\r\n',
        'text/calendar',
        /no to-dos/,
      ],
      [
        'source=ics',
        'BEGIN:VCALENDAR\r\nBEGIN:VTODO\r\nSUMMARY:x\r\n',
        'text/calendar',
        /not a readable iCalendar/,
      ],
    ];
    for (const [query, file, type, message] of cases) {
      const { status, body } = await u.upload<ErrorBody>(query, file, { 'content-type': type });
      assert.equal(status, 422, `${query} ${String(message)}: ${JSON.stringify(body)}`);
      assert.match(body.message, message);
      assert.deepEqual(
        body.details?.map((d) => d.field),
        ['file'],
      );
    }

    const big = Buffer.alloc(5 * 1024 * 1024 + 1, 'a');
    const tooLarge = await u.upload<ErrorBody>('source=todoist', big);
    assert.equal(tooLarge.status, 413);
    assert.match(tooLarge.body.message, /larger than 5 MB/);

    const empty = await u.upload<ErrorBody>('source=todoist', '');
    assert.equal(empty.status, 400);
    assert.deepEqual(
      empty.body.details?.map((d) => d.field),
      ['file'],
    );

    const noSource = await u.upload<ErrorBody>('dryRun=true', TODOIST);
    assert.equal(noSource.status, 400);
    assert.ok(noSource.body.details?.some((d) => d.field === 'source'));

    const badKey = await u.upload<ErrorBody>('source=todoist&dryRun=true', TODOIST, {
      'idempotency-key': 'short',
    });
    assert.equal(badKey.status, 400, 'a bad key is refused in a dry run too');
    assert.deepEqual(
      badKey.body.details?.map((d) => d.field),
      ['Idempotency-Key'],
    );

    const form = await u.upload<ErrorBody>('source=todoist', TODOIST, {
      'content-type': 'multipart/form-data; boundary=x',
    });
    assert.equal(form.status, 415);

    assert.deepEqual(await u.tasks(), [], 'nothing was imported');
  });

  it('imports into the list named by listId; a list the user may not add to is a 404, in a preview too', async () => {
    const u = await user();
    const garden = await u.call<{ id: string }>('POST', '/api/v1/lists', { name: 'Garden' });
    const { status, body } = await u.upload(`source=todoist&listId=${garden.body.id}`, TODOIST);
    assert.equal(status, 200, JSON.stringify(body));
    const tasks = await u.tasks();
    assert.equal(tasks.length, 4);
    assert.ok(tasks.every((x) => x.listId === garden.body.id));

    const other = await user();
    for (const query of ['source=todoist&dryRun=true', 'source=todoist'])
      assertError(
        await other.upload(`${query}&listId=${garden.body.id}`, TODOIST).then((r) => ({
          ...r,
          headers: new Headers(),
        })),
        404,
        'NOT_FOUND',
      );
    assert.deepEqual(await other.tasks(), [], 'nothing imported');
    assertError(
      await u.upload('source=todoist&listId=garden', TODOIST).then((r) => ({
        ...r,
        headers: new Headers(),
      })),
      400,
      'VALIDATION_FAILED',
      ['listId'],
    );
  });

  it('exports everything as versioned JSON that reads back as what the app shows, and the tasks as CSV', async () => {
    const u = await user();
    const repeating = await u.call<Task>('POST', '/api/v1/tasks', {
      title: 'Stretch, every morning',
      description: 'Ten minutes — ünïcödé 🧘',
      dueDate: '2027-02-01T07:00:00Z',
      priority: 'high',
      tags: ['health'],
      reminderOffset: 5,
      recurrence: { frequency: 'daily' },
    });
    const done = await u.call<Task>('POST', '/api/v1/tasks', { title: 'Done already' });
    await u.call('POST', `/api/v1/tasks/${done.body.id}/complete`);
    const garden = await u.call<{ id: string }>('POST', '/api/v1/lists', { name: 'Garden' });
    assert.equal(garden.status, 201, JSON.stringify(garden.body));
    const inGarden = await u.call<Task>('POST', '/api/v1/tasks', {
      title: 'Prune the roses',
      listId: garden.body.id,
    });
    const gone = await u.call<Task>('POST', '/api/v1/tasks', { title: 'Deleted one' });
    await u.call('DELETE', `/api/v1/tasks/${gone.body.id}`);
    const chat = await u.call<{ conversationId: string }>('POST', '/api/v1/chat', {
      message: 'add buy bread tomorrow at 8am',
    });
    assert.equal(chat.status, 200, JSON.stringify(chat.body));

    const response = await u.get('/api/v1/users/me/export');
    assert.equal(response.status, 200);
    assert.match(
      response.headers.get('content-disposition') ?? '',
      /attachment; filename="todo-export-/,
    );
    const data = (await response.json()) as UserExport;
    const { error } = userExportSchema.validate(data);
    assert.equal(error, undefined, 'the documented format');
    assert.equal(data.format, 'todo-chatbot.export');
    assert.equal(data.version, 1);
    assert.equal(data.preferences.timezone, 'Europe/Berlin');

    // Every task the app lists, exactly as the REST API shows it; the deleted one is gone.
    const shown = await u.tasks();
    assert.deepEqual(
      [...data.tasks].sort((a, b) => a.id.localeCompare(b.id)),
      [...shown].sort((a, b) => a.id.localeCompare(b.id)),
    );
    assert.equal(
      data.tasks.some((x) => x.id === gone.body.id),
      false,
    );
    const stretch = data.tasks.find((x) => x.id === repeating.body.id)!;
    assert.equal(stretch.recurrence?.frequency, 'daily');
    assert.equal(stretch.reminderOffset, 5);
    assert.equal(stretch.description, 'Ten minutes — ünïcödé 🧘');

    const [conversation] = data.conversations;
    assert.equal(conversation?.id, chat.body.conversationId);
    assert.deepEqual(
      conversation?.messages.map((m) => m.role),
      ['user', 'assistant'],
    );
    assert.equal(conversation?.messages[0]?.text, 'add buy bread tomorrow at 8am');

    const csvResponse = await u.get('/api/v1/users/me/export/tasks.csv');
    assert.equal(csvResponse.status, 200);
    assert.match(csvResponse.headers.get('content-type') ?? '', /^text\/csv/);
    const rows = parse(await csvResponse.text(), { bom: true, columns: true }) as Record<
      string,
      string
    >[];
    assert.deepEqual(Object.keys(rows[0] ?? {}), [...TASKS_CSV_COLUMNS]);
    assert.deepEqual(rows.map((r) => r.id).sort(), shown.map((x) => x.id).sort());
    const row = rows.find((r) => r.id === repeating.body.id)!;
    assert.equal(row.title, 'Stretch, every morning');
    assert.equal(row.list, 'Inbox', "the name of the task's list");
    assert.equal(row.description, 'Ten minutes — ünïcödé 🧘');
    assert.equal(row.tags, 'health');
    assert.equal(row.dueDate, '2027-02-01T07:00:00.000Z');
    assert.equal(row.recurrence, 'every day');
    assert.equal(rows.find((r) => r.id === done.body.id)?.status, 'completed');
    assert.equal(rows.find((r) => r.id === inGarden.body.id)?.list, 'Garden');
  });
});
