import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ChatResponse, Task, TaskPage } from '@todo/contracts';
import { assertError, client, startTestApi, type TestApi } from '../helpers.js';

/**
 * The chat on the shared task language, through `POST /api/v1/chat` as a user meets it:
 * the phrasings that used to fail, follow-ups that edit instead of adding, questions answered
 * on the next turn, confirmation before deleting several, undo, and time zones.
 */
describe('chat: everyday phrasing, follow-ups, questions and undo', () => {
  let t: TestApi;
  let call: ReturnType<typeof client>;

  before(async () => {
    t = await startTestApi();
    call = client(t.baseUrl, (await t.signUp()).token);
  });
  after(() => t.stop());

  function conversation(as = call, extra: Record<string, unknown> = {}) {
    let id: string | undefined;
    return async (message: string) => {
      const res = await as<ChatResponse>('POST', '/api/v1/chat', {
        message,
        ...extra,
        ...(id ? { conversationId: id } : {}),
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      id = res.body.conversationId;
      return res.body;
    };
  }
  const task = async (id: string, as = call) => (await as<Task>('GET', `/api/v1/tasks/${id}`)).body;
  const count = async (as = call) =>
    (await as<TaskPage>('GET', '/api/v1/tasks?status=all&limit=200')).body.items.length;
  const created = (r: ChatResponse) => {
    assert.equal(r.actions[0]?.type, 'task.created', r.reply);
    return r.actions[0]!.taskId!;
  };
  // The test user's saved zone is UTC.
  const utc = (iso: string | null) => {
    assert.ok(iso);
    const d = new Date(iso);
    return { day: (d.getUTCDay() + 6) % 7, hour: d.getUTCHours(), date: d.getUTCDate() };
  };

  it('adds without a command word: "call mom every sunday at 6pm" is an open-ended weekly series', async () => {
    const reply = await conversation()('call mom every sunday at 6pm');
    const saved = await task(created(reply));
    assert.equal(saved.title, 'call mom');
    assert.deepEqual([saved.recurrence?.frequency, saved.recurrence?.byWeekday], ['weekly', [6]]);
    assert.equal(saved.recurrence?.endDate, undefined, 'no invented end');
    assert.equal(saved.recurrence?.maxOccurrences, undefined);
    assert.deepEqual([utc(saved.dueDate).day, utc(saved.dueDate).hour], [6, 18]);
    assert.ok(new Date(saved.dueDate!) > new Date(), 'the first occurrence is not in the past');
    assert.match(reply.reply, /^Added “call mom”, every Sunday at 18:00, starting Sun \d+ \w+[.;]/);
  });

  it('reads the phrasings users reported', async () => {
    const say = conversation();
    const report = await task(created(await say('submit the report by friday')));
    assert.deepEqual([report.title, utc(report.dueDate).day], ['submit the report', 4]);

    const cactus = await task(created(await say('every 3 days water the cactus')));
    assert.equal(cactus.title, 'water the cactus');
    assert.deepEqual([cactus.recurrence?.frequency, cactus.recurrence?.interval], ['daily', 3]);

    const garage = await task(created(await say('low priority: clean the garage this weekend')));
    assert.deepEqual([garage.title, garage.priority], ['clean the garage', 'low']);
    assert.ok([5, 6].includes(utc(garage.dueDate).day));

    const rent = await task(created(await say('pay rent on the 1st')));
    assert.deepEqual([rent.title, utc(rent.dueDate).date], ['pay rent', 1]);

    const milk = await task(created(await say('buy milk,, tag groceries')));
    assert.deepEqual([milk.title, milk.tags], ['buy milk', ['groceries']]);

    const evening = await task(created(await say('call grandma tomorrow evening')));
    assert.equal(utc(evening.dueDate).hour, 18);

    const last = await task(
      created(await say('on the last day of every month at 9am send the invoice')),
    );
    assert.equal(last.title, 'send the invoice');
    assert.deepEqual([last.recurrence?.byMonthday, last.recurrence?.endDate], [-1, undefined]);
    assert.ok(new Date(last.dueDate!) > new Date(), 'not due yesterday');
    const due = new Date(last.dueDate!);
    const nextDay = new Date(due.getTime() + 86_400_000);
    assert.equal(nextDay.getUTCDate(), 1, 'due on the last day of a month');
  });

  it('follow-ups edit the task in focus and never create one', async () => {
    const say = conversation();
    const id = created(await say('dentist tomorrow at 10am'));
    const before = await count();
    await say('make it 5pm');
    assert.equal(utc((await task(id)).dueDate).hour, 17);
    await say('change the time to 4');
    assert.equal(utc((await task(id)).dueDate).hour, 16);
    const renamed = await say('rename it to Dentist check-up');
    assert.match(renamed.reply, /Renamed “dentist” to “Dentist check-up”/);
    await say('and remind me an hour before');
    await say('actually make it high priority');
    const saved = await task(id);
    assert.deepEqual(
      [saved.title, saved.reminderOffset, saved.priority],
      ['Dentist check-up', 60, 'high'],
    );
    assert.equal(await count(), before, 'no task was created by a follow-up');
  });

  it('"actually make it the first of the month" moves a monthly series, it does not add "it the first of"', async () => {
    const say = conversation();
    const id = created(await say('pay rent on the 28th of every month'));
    const before = await count();
    const reply = await say('actually make it the first of the month');
    assert.equal(await count(), before);
    assert.equal(reply.actions[0]?.taskId, id);
    const saved = await task(id);
    assert.deepEqual([saved.recurrence?.byMonthday, utc(saved.dueDate).date], [1, 1]);
  });

  it('a new day keeps the time: "push dentist to friday"', async () => {
    const say = conversation();
    const id = created(await say('physio tomorrow at 3pm'));
    await say('push physio to friday');
    const saved = await task(id);
    assert.deepEqual([utc(saved.dueDate).day, utc(saved.dueDate).hour], [4, 15]);
  });

  it('"the second one" picks from the last list and then "done" completes it', async () => {
    const say = conversation();
    await say('alpha chore #pick');
    await say('beta chore #pick');
    const listed = await say('show tasks tagged pick');
    const ids = listed.actions[0]!.fields!.taskIds as string[];
    const before = await count();
    await say('the second one');
    await say('done');
    assert.equal((await task(ids[1]!)).status, 'completed');
    assert.equal(await count(), before);
  });

  it('asks which days for "twice a week" and acts on the answer', async () => {
    const say = conversation();
    const before = await count();
    const question = await say('gym twice a week at 7am');
    assert.equal(question.actions.length, 0);
    assert.match(question.reply, /On which days should “gym” repeat\?/);
    assert.equal(await count(), before);
    const saved = await task(created(await say('monday and thursday')));
    assert.deepEqual(
      [saved.title, saved.recurrence?.byWeekday, utc(saved.dueDate).hour],
      ['gym', [0, 3], 7],
    );
  });

  it('asks which days of the month for "twice a month" and repeats on both', async () => {
    const say = conversation();
    const before = await count();
    const question = await say('pay the cleaner twice a month');
    assert.equal(question.actions.length, 0);
    assert.match(question.reply, /On which days of the month should “pay the cleaner” repeat\?/);
    assert.equal(await count(), before);
    const saved = await task(created(await say('the 1st and the 15th')));
    assert.equal(saved.title, 'pay the cleaner');
    assert.equal(saved.recurrence?.frequency, 'custom');
    assert.match(saved.recurrence?.rrule ?? '', /FREQ=MONTHLY;BYMONTHDAY=1,15/);
    assert.equal(saved.recurrence?.endDate ?? null, null, 'no end the user did not ask for');
    assert.ok([1, 15].includes(new Date(saved.dueDate!).getUTCDate()), saved.dueDate!);
  });

  it('refuses a repeat more often than daily, and asks what "change it" should change', async () => {
    const say = conversation();
    const before = await count();
    const hourly = await say('drink water every hour');
    assert.equal(hourly.actions.length, 0);
    assert.match(hourly.reply, /at most once a day/);
    const vague = await say('change it');
    assert.equal(vague.actions.length, 0);
    assert.match(vague.reply, /Which task, and what should change\?/);
    const noFocus = await say('push it to friday');
    assert.equal(noFocus.actions.length, 0);
    assert.match(noFocus.reply, /Which task do you mean\?/);
    assert.equal(await count(), before);
  });

  it('deletes several tasks only after an explicit yes, and undo brings them back', async () => {
    const other = client(t.baseUrl, (await t.signUp()).token);
    const say = conversation(other);
    await say('one errand #bulk');
    await say('two errand #bulk');
    await say('keep me #other');
    const question = await say('delete all tasks tagged bulk');
    assert.equal(question.actions.length, 0);
    assert.match(question.reply, /Delete these 2 tasks\?/);
    assert.equal(await count(other), 3);
    const no = await say('no');
    assert.equal(no.actions.length, 0);
    assert.equal(await count(other), 3);
    await say('delete all tasks tagged bulk');
    const yes = await say('yes');
    assert.deepEqual(
      yes.actions.map((a) => a.type),
      ['task.deleted', 'task.deleted'],
    );
    assert.equal(await count(other), 1);
    const undone = await say('undo');
    assert.match(undone.reply, /Undone: 2 tasks are back/);
    assert.equal(await count(other), 3);
  });

  it('undo takes back the last change: an add, then an edit', async () => {
    const say = conversation();
    const before = await count();
    const id = created(await say('water the fern tomorrow at 8am'));
    const undoAdd = await say('undo');
    assert.match(undoAdd.reply, /Undone: removed “water the fern”/);
    assert.equal(await count(), before);

    const kept = created(await say('feed the fish tomorrow at 8am'));
    await say('make it 6pm and high priority');
    await say('undo');
    const saved = await task(kept);
    assert.deepEqual([utc(saved.dueDate).hour, saved.priority], [8, 'medium']);
    assert.notEqual(id, kept);
  });

  it('"make it every monday" keeps a dated task\'s due date; "every monday at 9am" moves it there', async () => {
    const say = conversation();
    const id = created(await say('dentist on dec 17 at 3pm'));
    const before = (await task(id)).dueDate;
    const repeating = await say('make it every monday');
    assert.match(repeating.reply, /repeats every Monday/);
    const kept = await task(id);
    assert.equal(kept.dueDate, before, 'the rule alone does not move a dated task');
    assert.deepEqual(kept.recurrence?.byWeekday, [0]);

    await say('make it every monday at 9am');
    const moved = await task(id);
    assert.deepEqual([utc(moved.dueDate).day, utc(moved.dueDate).hour], [0, 9]);
    assert.ok(new Date(moved.dueDate!) > new Date());
  });

  it('thanks are answered with a thank-you, goodbyes with a goodbye, and change nothing', async () => {
    const say = conversation();
    const before = await count();
    for (const thanks of ['thx mate', 'thanks!', 'cheers buddy 🙏']) {
      const reply = await say(thanks);
      assert.match(reply.reply, /^You’re welcome/, thanks);
      assert.equal(reply.actions.length, 0);
    }
    assert.match((await say('bye')).reply, /^Bye/);
    assert.match((await say('hello')).reply, /^Hi!/);
    assert.equal(await count(), before);
  });

  it('a refusal says what it understood and suggests a phrasing', async () => {
    const reply = await conversation()('tomorrow at 5pm');
    assert.equal(reply.actions.length, 0);
    assert.match(reply.reply, /I understood a date \(\w+ \d+ \w+ at 17:00\), but not the task/);
    assert.match(reply.reply, /Try “/);
  });

  it('names the saved zone when the device is in another one; rejects an unknown zone', async () => {
    const chose = client(t.baseUrl, (await t.signUp()).token);
    await chose('PATCH', '/api/v1/users/me/notifications', { timezone: 'UTC' });
    const reply = await conversation(chose, { timeZone: 'Asia/Kolkata' })(
      'call the bank tomorrow at 10am',
    );
    assert.match(reply.reply, /at 10:00 UTC time/);
    const saved = (await chose<Task>('GET', `/api/v1/tasks/${created(reply)}`)).body;
    assert.equal(utc(saved.dueDate).hour, 10, 'computed in the saved zone');
    assertError(
      await call('POST', '/api/v1/chat', { message: 'hi', timeZone: 'Mars/Olympus' }),
      400,
      'VALIDATION_FAILED',
      ['timeZone'],
    );
  });

  it('adopts the device zone while the user has not chosen one', async () => {
    const fresh = client(t.baseUrl, (await t.signUp()).token);
    const reply = await conversation(fresh, { timeZone: 'Asia/Kolkata' })(
      'call the bank tomorrow at 10am',
    );
    assert.doesNotMatch(reply.reply, /time,/);
    const saved = (await fresh<Task>('GET', `/api/v1/tasks/${created(reply)}`)).body;
    assert.equal(new Date(saved.dueDate!).toISOString().slice(11, 16), '04:30', '10:00 in Kolkata');
    const prefs = (
      await fresh<{ timezone: string; timezoneChosen: boolean }>(
        'GET',
        '/api/v1/users/me/notifications',
      )
    ).body;
    assert.deepEqual([prefs.timezone, prefs.timezoneChosen], ['Asia/Kolkata', false]);
  });
});
