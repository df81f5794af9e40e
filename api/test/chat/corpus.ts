/**
 * The chat interpreter's corpus: each utterance with the structured outcome a user means.
 * Expectations are partial (only the keys given are checked; arrays exactly).
 * Unless a case says otherwise: now = Friday 2026-11-27 11:00 in Europe/Berlin (UTC+1).
 */
export interface CorpusCase {
  say: string;
  expect: Record<string, unknown>;
  timeZone?: string;
  now?: string;
}

const NOW = '2026-11-27T10:00:00Z';
export const DEFAULT_CONTEXT = { now: NOW, timeZone: 'Europe/Berlin' };

const title = (text: string) => ({ kind: 'title', text });
const it = { kind: 'pronoun' };
const pos = (index: number) => ({ kind: 'position', index });
const add = (fields: Record<string, unknown>) => ({ type: 'add', fields });

export const CORPUS: CorpusCase[] = [
  // ── add: titles, dates, times ─────────────────────────────────────────────
  { say: 'add buy milk', expect: add({ title: 'buy milk' }) },
  { say: 'Add "Buy milk"', expect: add({ title: 'Buy milk' }) },
  { say: 'create a task to call the plumber', expect: add({ title: 'call the plumber' }) },
  { say: 'new task: renew passport', expect: add({ title: 'renew passport' }) },
  { say: 'please add water the plants', expect: add({ title: 'water the plants' }) },
  { say: 'add buy milk to my list', expect: add({ title: 'buy milk' }) },
  {
    say: 'I need to book a dentist appointment',
    expect: add({ title: 'book a dentist appointment' }),
  },
  {
    say: "don't forget to pick up the dry cleaning",
    expect: add({ title: 'pick up the dry cleaning' }),
  },
  { say: 'remember to send the invoice', expect: add({ title: 'send the invoice' }) },
  { say: 'todo: clean the garage', expect: add({ title: 'clean the garage' }) },
  {
    say: 'add buy milk tomorrow',
    expect: add({ title: 'buy milk', dueDate: '2026-11-28T08:00:00.000Z' }),
  },
  {
    say: 'add buy milk tomorrow at 5pm',
    expect: add({ title: 'buy milk', dueDate: '2026-11-28T16:00:00.000Z' }),
  },
  {
    say: 'add call mum at 6pm',
    expect: add({ title: 'call mum', dueDate: '2026-11-27T17:00:00.000Z' }),
  },
  {
    say: 'add submit report by friday',
    expect: add({ title: 'submit report', dueDate: '2026-11-27T17:00:00.000Z' }),
  },
  {
    say: 'add submit report by next friday 3pm',
    expect: add({ title: 'submit report', dueDate: '2026-12-04T14:00:00.000Z' }),
  },
  {
    say: 'add dentist on monday at 10:30',
    expect: add({ title: 'dentist', dueDate: '2026-11-30T09:30:00.000Z' }),
  },
  {
    say: 'add team lunch on December 3 at noon',
    expect: add({ title: 'team lunch', dueDate: '2026-12-03T11:00:00.000Z' }),
  },
  {
    say: 'add pay taxes on 2027-01-15',
    expect: add({ title: 'pay taxes', dueDate: '2027-01-15T08:00:00.000Z' }),
  },
  {
    say: 'add check the oven in 2 hours',
    expect: add({ title: 'check the oven', dueDate: '2026-11-27T12:00:00.000Z' }),
  },
  {
    say: 'add buy gifts today',
    expect: add({ title: 'buy gifts', dueDate: '2026-11-27T17:00:00.000Z' }),
  },
  {
    say: 'add stretch tonight at 9',
    expect: add({ title: 'stretch', dueDate: '2026-11-27T20:00:00.000Z' }),
  },
  { say: 'add book flights next week', expect: add({ title: 'book flights' }) },
  {
    say: 'add renew insurance on the 15th',
    expect: add({ title: 'renew insurance', dueDate: '2026-12-15T08:00:00.000Z' }),
  },
  {
    say: 'add prepare slides due tomorrow 8am',
    expect: add({ title: 'prepare slides', dueDate: '2026-11-28T07:00:00.000Z' }),
  },
  // ── add: priority, tags, description ─────────────────────────────────────
  {
    say: 'add fix the leak high priority',
    expect: add({ title: 'fix the leak', priority: 'high' }),
  },
  { say: 'add fix the leak, urgent', expect: add({ title: 'fix the leak', priority: 'high' }) },
  { say: 'add tidy desk low priority', expect: add({ title: 'tidy desk', priority: 'low' }) },
  {
    say: 'add read book with medium priority',
    expect: add({ title: 'read book', priority: 'medium' }),
  },
  { say: 'add fix prod bug!!', expect: add({ title: 'fix prod bug', priority: 'high' }) },
  { say: 'add buy milk #home', expect: add({ title: 'buy milk', tags: ['home'] }) },
  { say: 'add review PR #work #code', expect: add({ title: 'review PR', tags: ['work', 'code'] }) },
  {
    say: 'add quarterly report tagged work and finance',
    expect: add({ title: 'quarterly report', tags: ['work', 'finance'] }),
  },
  {
    say: 'add call bank with tags money, admin',
    expect: add({ title: 'call bank', tags: ['money', 'admin'] }),
  },
  {
    say: 'add plan trip with description flights and hotel for March',
    expect: add({ title: 'plan trip', description: 'flights and hotel for March' }),
  },
  {
    say: 'add buy milk tomorrow at 5pm #home high priority',
    expect: add({
      title: 'buy milk',
      dueDate: '2026-11-28T16:00:00.000Z',
      tags: ['home'],
      priority: 'high',
    }),
  },
  {
    say: 'add Important: renew lease by Monday',
    expect: add({ title: 'renew lease', priority: 'high', dueDate: '2026-11-30T08:00:00.000Z' }),
  },
  // ── add: reminders and channels ──────────────────────────────────────────
  {
    say: 'remind me to call mum at 5pm',
    expect: add({ title: 'call mum', dueDate: '2026-11-27T16:00:00.000Z', reminderOffset: 0 }),
  },
  {
    say: 'remind me to take out the bins tomorrow',
    expect: add({
      title: 'take out the bins',
      dueDate: '2026-11-28T08:00:00.000Z',
      reminderOffset: 0,
    }),
  },
  {
    say: 'add dentist tomorrow at 10am and remind me an hour before',
    expect: add({ title: 'dentist', dueDate: '2026-11-28T09:00:00.000Z', reminderOffset: 60 }),
  },
  {
    say: 'add flight friday 7am, remind me 1 day before',
    expect: add({ title: 'flight', reminderOffset: 1440 }),
  },
  {
    say: 'add meeting at 3pm with a 15 minute reminder',
    expect: add({ title: 'meeting', dueDate: '2026-11-27T14:00:00.000Z', reminderOffset: 15 }),
  },
  {
    say: 'add webinar tomorrow 4pm remind me 30 minutes before by email',
    expect: add({ title: 'webinar', reminderOffset: 30, reminderChannels: ['email'] }),
  },
  {
    say: 'add standup at 9am remind me 10 minutes before via push',
    expect: add({ title: 'standup', reminderOffset: 10, reminderChannels: ['push'] }),
  },
  {
    say: 'remind me to stretch in 45 minutes',
    expect: add({ title: 'stretch', dueDate: '2026-11-27T10:45:00.000Z', reminderOffset: 0 }),
  },
  // ── add: recurrence ──────────────────────────────────────────────────────
  {
    say: 'add water plants every day',
    expect: add({
      title: 'water plants',
      recurrence: {
        frequency: 'daily',
        interval: 1,
        anchor: 'due',
        endDate: '2027-11-28T10:00:00.000Z',
      },
    }),
  },
  {
    say: 'add take vitamins daily for 10 days',
    expect: add({
      title: 'take vitamins',
      recurrence: { frequency: 'daily', interval: 1, anchor: 'due', maxOccurrences: 10 },
    }),
  },
  {
    say: 'add standup every weekday at 9:30',
    expect: add({
      title: 'standup',
      dueDate: '2026-11-30T08:30:00.000Z',
      recurrence: { frequency: 'weekly', interval: 1, byWeekday: [0, 1, 2, 3, 4], anchor: 'due' },
    }),
  },
  {
    say: 'add gym every monday, wednesday and friday at 7am',
    expect: add({
      title: 'gym',
      dueDate: '2026-11-30T06:00:00.000Z',
      recurrence: { frequency: 'weekly', byWeekday: [0, 2, 4] },
    }),
  },
  {
    say: 'add sync every 2 weeks on Tuesday and Thursday',
    expect: add({
      title: 'sync',
      recurrence: { frequency: 'weekly', interval: 2, byWeekday: [1, 3] },
    }),
  },
  {
    say: 'add pay rent on the 1st of every month',
    expect: add({
      title: 'pay rent',
      dueDate: '2026-12-01T08:00:00.000Z',
      recurrence: { frequency: 'monthly', byMonthday: 1 },
    }),
  },
  {
    say: 'add invoice clients every month on the 31st',
    expect: add({
      title: 'invoice clients',
      dueDate: '2026-12-31T08:00:00.000Z',
      recurrence: { frequency: 'monthly', byMonthday: 31 },
    }),
  },
  {
    say: "add mom's birthday every year on March 3",
    expect: add({
      title: "mom's birthday",
      dueDate: '2027-03-03T08:00:00.000Z',
      recurrence: { frequency: 'yearly', interval: 1 },
    }),
  },
  {
    say: 'add backup every 3 days',
    expect: add({ title: 'backup', recurrence: { frequency: 'daily', interval: 3 } }),
  },
  {
    say: 'add team retro every other friday',
    expect: add({
      title: 'team retro',
      recurrence: { frequency: 'weekly', interval: 2, byWeekday: [4] },
    }),
  },
  {
    say: 'add clean bathroom weekly',
    expect: add({ title: 'clean bathroom', recurrence: { frequency: 'weekly', interval: 1 } }),
  },
  {
    say: 'add review budget monthly 6 times',
    expect: add({
      title: 'review budget',
      recurrence: { frequency: 'monthly', maxOccurrences: 6 },
    }),
  },
  {
    say: 'add yoga every weekend',
    expect: add({ title: 'yoga', recurrence: { frequency: 'weekly', byWeekday: [5, 6] } }),
  },
  {
    say: 'add stand-up every weekday until December 31',
    expect: add({
      title: 'stand-up',
      recurrence: {
        frequency: 'weekly',
        byWeekday: [0, 1, 2, 3, 4],
        endDate: '2026-12-31T22:59:59.000Z',
      },
    }),
  },
  {
    say: 'add journal every evening for 2 weeks',
    expect: add({ title: 'journal', recurrence: { frequency: 'daily', maxOccurrences: 14 } }),
  },
  {
    say: 'add physio every monday 5 times',
    expect: add({
      title: 'physio',
      recurrence: { frequency: 'weekly', byWeekday: [0], maxOccurrences: 5 },
    }),
  },
  {
    say: 'add water garden every 2 days for 3 weeks',
    expect: add({
      title: 'water garden',
      recurrence: { frequency: 'daily', interval: 2, maxOccurrences: 11 },
    }),
  },
  {
    say: 'add renew domain yearly',
    expect: add({ title: 'renew domain', recurrence: { frequency: 'yearly' } }),
  },
  {
    say: 'add check smoke alarms every 6 months',
    expect: add({ title: 'check smoke alarms', recurrence: { frequency: 'monthly', interval: 6 } }),
  },
  {
    say: 'add bins on tuesdays',
    expect: add({ title: 'bins', recurrence: { frequency: 'weekly', byWeekday: [1] } }),
  },
  // ── typos ────────────────────────────────────────────────────────────────
  { say: 'ad buy milk', expect: { type: 'unknown' } },
  {
    say: 'add buy milk tomorow',
    expect: add({ title: 'buy milk', dueDate: '2026-11-28T08:00:00.000Z' }),
  },
  {
    say: 'add buy milk tommorrow at 5pm',
    expect: add({ title: 'buy milk', dueDate: '2026-11-28T16:00:00.000Z' }),
  },
  { say: 'compelte buy milk', expect: { type: 'complete', ref: title('buy milk') } },
  { say: 'delet the report', expect: { type: 'delete', ref: title('the report') } },
  {
    say: 'remmind me an hour before',
    expect: { type: 'set-reminder', ref: it, offsetMinutes: 60 },
  },
  {
    say: 'add gym evrey monday',
    expect: add({ title: 'gym', recurrence: { frequency: 'weekly', byWeekday: [0] } }),
  },
  {
    say: 'add call bob on wensday',
    expect: add({ title: 'call bob', dueDate: '2026-12-02T08:00:00.000Z' }),
  },
  { say: 'shwo my tasks', expect: { type: 'list', filter: {} } },
  { say: 'whats overdue', expect: { type: 'list', filter: { due: 'overdue' } } },
  // ── list and queries ─────────────────────────────────────────────────────
  { say: 'list my tasks', expect: { type: 'list', filter: {} } },
  { say: 'show tasks', expect: { type: 'list', filter: {} } },
  { say: 'what do I have to do?', expect: { type: 'list', filter: {} } },
  { say: "what's due today?", expect: { type: 'list', filter: { due: 'today' } } },
  { say: 'what is due tomorrow', expect: { type: 'list', filter: { due: 'tomorrow' } } },
  { say: 'what is overdue?', expect: { type: 'list', filter: { due: 'overdue' } } },
  { say: 'anything overdue?', expect: { type: 'list', filter: { due: 'overdue' } } },
  { say: 'show me what is due this week', expect: { type: 'list', filter: { due: 'week' } } },
  { say: 'show high priority tasks', expect: { type: 'list', filter: { priority: 'high' } } },
  { say: 'list low priority tasks', expect: { type: 'list', filter: { priority: 'low' } } },
  { say: 'show tasks tagged work', expect: { type: 'list', filter: { tag: 'work' } } },
  { say: 'show #home tasks', expect: { type: 'list', filter: { tag: 'home' } } },
  {
    say: 'show high priority tasks tagged work',
    expect: { type: 'list', filter: { priority: 'high', tag: 'work' } },
  },
  { say: 'show completed tasks', expect: { type: 'list', filter: { status: 'completed' } } },
  { say: 'what have I finished?', expect: { type: 'list', filter: { status: 'completed' } } },
  { say: 'show all tasks', expect: { type: 'list', filter: { status: 'all' } } },
  { say: 'search for milk', expect: { type: 'list', filter: { q: 'milk' } } },
  { say: 'find dentist', expect: { type: 'list', filter: { q: 'dentist' } } },
  { say: 'tasks about taxes', expect: { type: 'list', filter: { q: 'taxes' } } },
  { say: 'my tasks', expect: { type: 'list', filter: {} } },
  {
    say: 'which tasks are urgent today',
    expect: { type: 'list', filter: { due: 'today', priority: 'high' } },
  },
  // ── complete / reopen ────────────────────────────────────────────────────
  { say: 'complete buy milk', expect: { type: 'complete', ref: title('buy milk') } },
  { say: 'mark buy milk as done', expect: { type: 'complete', ref: title('buy milk') } },
  { say: 'mark the report complete', expect: { type: 'complete', ref: title('the report') } },
  { say: 'I finished the report', expect: { type: 'complete', ref: title('the report') } },
  { say: "I've done the laundry", expect: { type: 'complete', ref: title('the laundry') } },
  { say: 'done with groceries', expect: { type: 'complete', ref: title('groceries') } },
  { say: 'check off call mum', expect: { type: 'complete', ref: title('call mum') } },
  { say: 'buy milk is done', expect: { type: 'complete', ref: title('buy milk') } },
  { say: 'complete the second one', expect: { type: 'complete', ref: pos(2) } },
  { say: 'complete #3', expect: { type: 'complete', ref: pos(3) } },
  { say: 'complete the last one', expect: { type: 'complete', ref: pos(-1) } },
  { say: 'complete it', expect: { type: 'complete', ref: it } },
  { say: 'done', expect: { type: 'complete', ref: it } },
  { say: 'finish task 1', expect: { type: 'complete', ref: pos(1) } },
  { say: 'reopen buy milk', expect: { type: 'reopen', ref: title('buy milk') } },
  { say: 'mark the report as not done', expect: { type: 'reopen', ref: title('the report') } },
  { say: 'uncomplete it', expect: { type: 'reopen', ref: it } },
  // ── delete ───────────────────────────────────────────────────────────────
  { say: 'delete buy milk', expect: { type: 'delete', ref: title('buy milk') } },
  { say: 'remove the dentist task', expect: { type: 'delete', ref: title('the dentist task') } },
  { say: 'cancel the team lunch', expect: { type: 'delete', ref: title('the team lunch') } },
  { say: 'get rid of the first one', expect: { type: 'delete', ref: pos(1) } },
  { say: 'delete it', expect: { type: 'delete', ref: it } },
  { say: 'remove buy milk from my list', expect: { type: 'delete', ref: title('buy milk') } },
  // ── rename, describe, priority, tags ─────────────────────────────────────
  {
    say: 'rename buy milk to buy oat milk',
    expect: { type: 'update', ref: title('buy milk'), fields: { title: 'buy oat milk' } },
  },
  {
    say: 'rename it to Call Grandma',
    expect: { type: 'update', ref: it, fields: { title: 'Call Grandma' } },
  },
  {
    say: 'change the title of the report to Q3 report',
    expect: { type: 'update', ref: title('the report'), fields: { title: 'Q3 report' } },
  },
  {
    say: 'set the description of plan trip to book hotel near the beach',
    expect: {
      type: 'update',
      ref: title('plan trip'),
      fields: { description: 'book hotel near the beach' },
    },
  },
  {
    say: 'add a note to the report: include the churn numbers',
    expect: {
      type: 'update',
      ref: title('the report'),
      fields: { description: 'include the churn numbers' },
    },
  },
  {
    say: 'make buy milk high priority',
    expect: { type: 'update', ref: title('buy milk'), fields: { priority: 'high' } },
  },
  { say: 'make it low priority', expect: { type: 'update', ref: it, fields: { priority: 'low' } } },
  {
    say: 'set the priority of the report to medium',
    expect: { type: 'update', ref: title('the report'), fields: { priority: 'medium' } },
  },
  {
    say: 'mark taxes as urgent',
    expect: { type: 'update', ref: title('taxes'), fields: { priority: 'high' } },
  },
  {
    say: 'the report is not urgent',
    expect: { type: 'update', ref: title('the report'), fields: { priority: 'low' } },
  },
  {
    say: 'prioritize the invoice',
    expect: { type: 'update', ref: title('the invoice'), fields: { priority: 'high' } },
  },
  {
    say: 'tag buy milk with home and errands',
    expect: { type: 'tag', ref: title('buy milk'), add: ['home', 'errands'], remove: [] },
  },
  {
    say: 'add tag work to the report',
    expect: { type: 'tag', ref: title('the report'), add: ['work'], remove: [] },
  },
  {
    say: 'remove tag work from the report',
    expect: { type: 'tag', ref: title('the report'), add: [], remove: ['work'] },
  },
  // ── reschedule ───────────────────────────────────────────────────────────
  {
    say: 'move the dentist to next monday at 3pm',
    expect: { type: 'reschedule', ref: title('the dentist'), dueDate: '2026-11-30T14:00:00.000Z' },
  },
  {
    say: 'reschedule buy milk to tomorrow',
    expect: { type: 'reschedule', ref: title('buy milk'), dueDate: '2026-11-28T08:00:00.000Z' },
  },
  {
    say: 'the report is due friday 5pm',
    expect: { type: 'reschedule', ref: title('the report'), dueDate: '2026-11-27T16:00:00.000Z' },
  },
  {
    say: 'make it 4pm',
    expect: { type: 'reschedule', ref: it, dueDate: '2026-11-27T15:00:00.000Z', timeOnly: true },
  },
  {
    say: 'postpone the report by 2 days',
    expect: { type: 'reschedule', ref: title('the report'), shiftMinutes: 2880 },
  },
  { say: 'push it by an hour', expect: { type: 'reschedule', ref: it, shiftMinutes: 60 } },
  {
    say: 'move it to December 24',
    expect: { type: 'reschedule', ref: it, dueDate: '2026-12-24T08:00:00.000Z' },
  },
  // ── recurrence on existing tasks ─────────────────────────────────────────
  {
    say: 'make it every Friday',
    expect: {
      type: 'set-recurrence',
      ref: it,
      recurrence: { frequency: 'weekly', byWeekday: [4] },
    },
  },
  {
    say: 'make buy milk repeat every week',
    expect: {
      type: 'set-recurrence',
      ref: title('buy milk'),
      recurrence: { frequency: 'weekly', interval: 1 },
    },
  },
  {
    say: 'repeat the report monthly',
    expect: {
      type: 'set-recurrence',
      ref: title('the report'),
      recurrence: { frequency: 'monthly' },
    },
  },
  {
    say: 'every weekday',
    expect: {
      type: 'set-recurrence',
      ref: it,
      recurrence: { frequency: 'weekly', byWeekday: [0, 1, 2, 3, 4] },
    },
  },
  {
    say: 'daily for 10 days',
    expect: {
      type: 'set-recurrence',
      ref: it,
      recurrence: { frequency: 'daily', maxOccurrences: 10 },
    },
  },
  { say: 'stop repeating it', expect: { type: 'remove-recurrence', ref: it } },
  {
    say: 'stop repeating the standup',
    expect: { type: 'remove-recurrence', ref: title('the standup') },
  },
  {
    say: 'remove the recurrence from gym',
    expect: { type: 'remove-recurrence', ref: title('gym') },
  },
  {
    say: 'the standup should no longer repeat',
    expect: { type: 'remove-recurrence', ref: title('the standup') },
  },
  // ── reminders ────────────────────────────────────────────────────────────
  { say: 'remind me an hour before', expect: { type: 'set-reminder', ref: it, offsetMinutes: 60 } },
  {
    say: 'remind me 30 minutes before the dentist',
    expect: { type: 'set-reminder', ref: title('the dentist'), offsetMinutes: 30 },
  },
  {
    say: 'remind me about the flight 2 days before',
    expect: { type: 'set-reminder', ref: title('the flight'), offsetMinutes: 2880 },
  },
  {
    say: 'set a reminder for the report 1 day before by email',
    expect: {
      type: 'set-reminder',
      ref: title('the report'),
      offsetMinutes: 1440,
      channels: ['email'],
    },
  },
  {
    say: 'remind me half an hour before',
    expect: { type: 'set-reminder', ref: it, offsetMinutes: 30 },
  },
  { say: 'remind me at the due time', expect: { type: 'set-reminder', ref: it, offsetMinutes: 0 } },
  {
    say: 'remind me about the dentist by push only',
    expect: { type: 'set-reminder', ref: title('the dentist'), channels: ['push'] },
  },
  {
    say: 'turn off the reminder for buy milk',
    expect: { type: 'disable-reminder', ref: title('buy milk') },
  },
  {
    say: "don't remind me about the report",
    expect: { type: 'disable-reminder', ref: title('the report') },
  },
  { say: 'no reminder', expect: { type: 'disable-reminder', ref: it } },
  // ── preferences ──────────────────────────────────────────────────────────
  {
    say: 'set quiet hours from 10pm to 7am',
    expect: {
      type: 'set-preferences',
      preferences: { quietHoursStart: '22:00', quietHoursEnd: '07:00' },
    },
  },
  {
    say: "don't notify me between 22:30 and 06:45",
    expect: {
      type: 'set-preferences',
      preferences: { quietHoursStart: '22:30', quietHoursEnd: '06:45' },
    },
  },
  {
    say: 'turn off quiet hours',
    expect: {
      type: 'set-preferences',
      preferences: { quietHoursStart: null, quietHoursEnd: null },
    },
  },
  {
    say: 'my time zone is Europe/London',
    expect: { type: 'set-preferences', preferences: { timezone: 'Europe/London' } },
  },
  {
    say: 'set my timezone to new york',
    expect: { type: 'set-preferences', preferences: { timezone: 'America/New_York' } },
  },
  {
    say: "I'm in Tokyo",
    expect: { type: 'set-preferences', preferences: { timezone: 'Asia/Tokyo' } },
  },
  {
    say: 'turn off email notifications',
    expect: { type: 'set-preferences', preferences: { emailEnabled: false } },
  },
  {
    say: 'enable push notifications',
    expect: { type: 'set-preferences', preferences: { pushEnabled: true } },
  },
  {
    say: 'only send me email notifications',
    expect: { type: 'set-preferences', preferences: { emailEnabled: true, pushEnabled: false } },
  },
  {
    say: 'set my default reminder to 30 minutes',
    expect: { type: 'set-preferences', preferences: { defaultReminderOffset: 30 } },
  },
  // ── help, selection, nonsense ────────────────────────────────────────────
  { say: 'help', expect: { type: 'help' } },
  { say: 'what can you do?', expect: { type: 'help' } },
  { say: 'hi', expect: { type: 'help' } },
  { say: 'the second one', expect: { type: 'select', ref: pos(2) } },
  { say: '2', expect: { type: 'select', ref: pos(2) } },
  { say: 'the first', expect: { type: 'select', ref: pos(1) } },
  { say: 'purple monkey dishwasher', expect: { type: 'unknown' } },
  { say: '   ', expect: { type: 'unknown' } },
  // ── other time zones and DST ─────────────────────────────────────────────
  {
    say: 'add call Alice tomorrow at 9am',
    timeZone: 'America/New_York',
    expect: add({ title: 'call Alice', dueDate: '2026-11-28T14:00:00.000Z' }),
  },
  {
    say: 'add call Alice tomorrow at 9am',
    timeZone: 'Asia/Kolkata',
    expect: add({ title: 'call Alice', dueDate: '2026-11-28T03:30:00.000Z' }),
  },
  {
    say: 'add brunch sunday at 10am',
    now: '2026-03-27T12:00:00Z',
    expect: add({ title: 'brunch', dueDate: '2026-03-29T08:00:00.000Z' }),
  },
  {
    say: 'add brunch saturday at 10am',
    now: '2026-03-27T12:00:00Z',
    expect: add({ title: 'brunch', dueDate: '2026-03-28T09:00:00.000Z' }),
  },
  {
    say: 'add run monday at 7am',
    now: '2026-10-30T12:00:00Z',
    timeZone: 'America/New_York',
    expect: add({ title: 'run', dueDate: '2026-11-02T12:00:00.000Z' }),
  },
  {
    say: 'add run saturday at 7am',
    now: '2026-10-30T12:00:00Z',
    timeZone: 'America/New_York',
    expect: add({ title: 'run', dueDate: '2026-10-31T11:00:00.000Z' }),
  },
  {
    say: 'add standup every weekday at 9am',
    now: '2026-03-27T12:00:00Z',
    expect: add({ title: 'standup', dueDate: '2026-03-30T07:00:00.000Z' }),
  },
  {
    say: 'add call Sydney office tomorrow at 8am',
    timeZone: 'Australia/Sydney',
    expect: add({ title: 'call Sydney office', dueDate: '2026-11-27T21:00:00.000Z' }),
  }, // Sydney is already on the 27th's evening
];
