import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseQuickAdd, parseUtterance, type Intent, type ParseContext } from '../src/index.js';

// Sunday 29 November 2026, 11:00 in Berlin.
const ctx: ParseContext = { now: new Date('2026-11-29T10:00:00Z'), timeZone: 'Europe/Berlin' };
const add = (text: string, c = ctx) => {
  const { intent } = parseUtterance(text, c);
  assert.equal(intent.type, 'add', `${text} → ${JSON.stringify(intent)}`);
  return (intent as Extract<Intent, { type: 'add' }>).fields;
};
const local = (iso: string | undefined, timeZone = ctx.timeZone) =>
  iso &&
  new Intl.DateTimeFormat('sv-SE', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(
    new Date(iso),
  );

describe('the phrasings users reported', () => {
  it('"call mom every sunday at 6pm": a weekly series from today 18:00, no end', () => {
    const f = add('call mom every sunday at 6pm');
    assert.equal(f.title, 'call mom');
    assert.deepEqual(f.recurrence, { frequency: 'weekly', interval: 1, byWeekday: [6] });
    assert.equal(local(f.due?.iso), '2026-11-29 18:00');
  });
  it('"submit the report by friday", "every 3 days water the cactus"', () => {
    assert.deepEqual(
      [
        add('submit the report by friday').title,
        local(add('submit the report by friday').due?.iso),
      ],
      ['submit the report', '2026-12-04 09:00'],
    );
    const cactus = add('every 3 days water the cactus');
    assert.equal(cactus.title, 'water the cactus');
    assert.deepEqual(cactus.recurrence, { frequency: 'daily', interval: 3 });
  });
  it('"low priority: clean the garage this weekend"', () => {
    const f = add('low priority: clean the garage this weekend');
    assert.deepEqual(
      [f.title, f.priority, local(f.due?.iso)],
      ['clean the garage', 'low', '2026-11-29 18:00'],
    );
  });
  it('leaves no leftovers: "pay rent on the 1st", "buy milk,, tag groceries", "tomorrow evening" is 18:00', () => {
    assert.equal(add('pay rent on the 1st').title, 'pay rent');
    assert.deepEqual(
      [add('buy milk,, tag groceries').title, add('buy milk,, tag groceries').tags],
      ['buy milk', ['groceries']],
    );
    assert.equal(local(add('call mom tomorrow evening').due?.iso), '2026-11-30 18:00');
  });
  it('"on the last day of every month at 9am": byMonthday -1, first one tomorrow, no end', () => {
    const f = add('pay rent on the last day of every month at 9am');
    assert.deepEqual(f.recurrence, { frequency: 'monthly', interval: 1, byMonthday: -1 });
    assert.equal(local(f.due?.iso), '2026-11-30 09:00');
    assert.equal(f.recurrence?.endDate, undefined);
  });
  it('"actually make it the first of the month" edits the task in focus', () => {
    const { intent } = parseUtterance('actually make it the first of the month', ctx, {
      hasFocus: true,
    });
    assert.equal(intent.type, 'update');
    assert.deepEqual(intent.type === 'update' && [intent.ref, intent.fields.due?.date], [
      { kind: 'focus' },
      '2026-12-01',
    ]);
  });
});

describe('rules users rely on', () => {
  it('a time that has passed today means tomorrow', () => {
    assert.equal(local(add('stretch at 9am').due?.iso), '2026-11-30 09:00');
  });
  it('computes across a daylight-saving change in the user zone', () => {
    // Friday 27 March 2026, clocks go forward on Sunday 29 March in Berlin.
    const f = add('call dad sunday at 9am', {
      now: new Date('2026-03-27T10:00:00Z'),
      timeZone: 'Europe/Berlin',
    });
    assert.equal(f.due?.iso, '2026-03-29T07:00:00.000Z');
  });
  it('a half-hour zone', () => {
    const f = add('pay bills tomorrow at 10am', {
      now: new Date('2026-12-04T02:45:00Z'),
      timeZone: 'Asia/Kolkata',
    });
    assert.equal(f.due?.iso, '2026-12-05T04:30:00.000Z');
  });
  it('ends only when the user says so: until, for N weeks, N times', () => {
    assert.equal(
      local(add('gym every monday until dec 21').recurrence?.endDate),
      '2026-12-21 23:59',
    );
    assert.equal(add('gym every monday 10 times').recurrence?.maxOccurrences, 10);
    assert.equal(local(add('gym every day for 2 weeks').recurrence?.endDate), '2026-12-13 23:59');
  });
  it('"every 3 days after I finish it" counts from completion', () => {
    assert.equal(
      add('water the cactus every 3 days after i finish it').recurrence?.anchor,
      'completion',
    );
  });
  it('"twice a week" asks which days', () => {
    const { intent } = parseUtterance('gym twice a week', ctx);
    assert.equal(intent.type, 'clarify');
  });
  it('reads 12/15 by locale', () => {
    assert.equal(local(add('pay tax 12/15').due?.iso), '2026-12-15 09:00');
    assert.equal(
      local(add('pay tax 15/12', { ...ctx, locale: 'en-GB' }).due?.iso),
      '2026-12-15 09:00',
    );
  });
  it('priority markers, tags and reminders', () => {
    assert.equal(add('p1 call the bank').priority, 'high');
    assert.equal(add('call the bank !!').priority, 'high');
    assert.deepEqual(add('plan trip #travel tagged family and fun').tags, [
      'travel',
      'family',
      'fun',
    ]);
    assert.equal(add('dentist friday 3pm remind me 2 hours before').reminderOffset, 120);
    assert.equal(add('dentist friday 3pm remind me at 8am that day').reminderOffset, 7 * 60);
    assert.equal(add('dentist friday 3pm no reminder').reminderOffset, null);
  });
});

describe('parseQuickAdd', () => {
  it('gives chips with spans of the typed text, fields for the REST API and the title', () => {
    const text = 'Call mom every sunday at 6pm #family p1';
    const r = parseQuickAdd(text, ctx);
    assert.equal(r.title, 'Call mom');
    assert.deepEqual(r.fields.recurrence, { frequency: 'weekly', interval: 1, byWeekday: [6] });
    assert.equal(r.fields.priority, 'high');
    assert.deepEqual(r.fields.tags, ['family']);
    assert.ok(r.fields.dueDate);
    for (const e of r.entities) assert.equal(text.slice(e.start, e.end), e.text);
    assert.deepEqual(r.entities.map((e) => e.kind).sort(), [
      'date',
      'priority',
      'recurrence',
      'tag',
    ]);
  });
  it('keeps a removed chip literal: its words stay in the title and are not parsed', () => {
    const text = 'Read Friday Night Lights tomorrow';
    const first = parseQuickAdd(text, ctx);
    const friday = first.entities.find((e) => e.text.toLowerCase().includes('friday'));
    assert.ok(friday);
    const kept = parseQuickAdd(text, ctx, {
      keepLiteral: [{ start: friday.start, end: friday.end }],
    });
    assert.match(kept.title, /Friday/);
    assert.equal(local(kept.fields.dueDate), '2026-11-30 09:00');
  });
  it('maps spans back through typo fixes', () => {
    const r = parseQuickAdd('Pay rent tmrw', ctx);
    assert.deepEqual(
      r.entities.map((e) => e.text),
      ['tmrw'],
    );
    assert.equal(r.title, 'Pay rent');
  });
});

describe('dates and times people say', () => {
  it('British clock talk: "half past 8", "quarter to 6", "half 3" (= 15:30)', () => {
    assert.equal(local(add('feed the cat at half past 8 tomorrow').due?.iso), '2026-11-30 08:30');
    assert.equal(
      local(add('leave for the station quarter to 6 tomorrow').due?.iso),
      '2026-11-30 17:45',
    );
    assert.deepEqual(
      [add('pick up Tom half 3').title, add('pick up Tom half 3').due?.time],
      ['pick up Tom', '15:30'],
    );
  });
  it('"in a fortnight" is fourteen days; "by christmas" and "until new year\'s eve" are dates', () => {
    assert.equal(add('renew the lease in a fortnight').due?.date, '2026-12-13');
    assert.equal(add('post the cards by christmas').due?.date, '2026-12-25');
    assert.equal(add('send xmas cards').title, 'send xmas cards', 'a bare name stays in the title');
    assert.equal(
      local(add("swim every friday until new year's eve").recurrence?.endDate),
      '2026-12-31 23:59',
    );
  });
  it('a time-of-day word after a clock time belongs to it; after a plain word it is the title', () => {
    const f = add('call the garage 9.45 tomorrow morning');
    assert.deepEqual([f.title, local(f.due?.iso)], ['call the garage', '2026-11-30 09:45']);
    assert.equal(local(add('ring gran at 8 tomorrow evening').due?.iso), '2026-11-30 20:00');
    const g = add('quiz night 12 december 8pm');
    assert.deepEqual([g.title, local(g.due?.iso)], ['quiz night', '2026-12-12 20:00']);
  });
  it('"in 3 hours" across a clock change is elapsed time, not wall-clock time', () => {
    // Saturday 24 October 2026, 23:30 in London; clocks go back at 02:00 on Sunday.
    const f = add('take the bread out in 3 hours', {
      now: new Date('2026-10-24T22:30:00Z'),
      timeZone: 'Europe/London',
    });
    assert.equal(f.due?.iso, '2026-10-25T01:30:00.000Z');
  });
  it('"end of the month" is a day and gets the default time; "every night at 10" is 22:00', () => {
    assert.equal(local(add('file the expenses end of the month').due?.iso), '2026-11-30 09:00');
    assert.equal(add('read every night at 10').due?.time, '22:00');
    assert.equal(add('stretch every morning at 7').due?.time, '07:00');
  });
  it('a clause like "its urgent" leaves no word behind', () => {
    assert.deepEqual(
      [add('call the plumber its urgent').title, add("call the plumber it's important").title],
      ['call the plumber', 'call the plumber'],
    );
  });
});

describe('talk that is not a task', () => {
  const kind = (text: string, hints = {}) => parseUtterance(text, ctx, hints).intent.type;
  it('thanks with an addressee, fillers, moods, remarks to the bot are not added', () => {
    for (const text of [
      'cheers buddy',
      'thank you so much',
      'ummm',
      'hmm well',
      'la la la',
      "i'm so tired",
      'i am hungry',
      'you are amazing',
      'are you human',
      'i love you',
    ])
      assert.equal(kind(text), 'unknown', text);
  });
  it('asking the bot to perform or advise is not a task; asking it to do a task is', () => {
    for (const text of [
      'tell me a story',
      'suggest a good book',
      'can you dance',
      'play me a tune',
    ])
      assert.equal(kind(text), 'unknown', text);
    assert.equal(kind('can you book a table for friday at 7'), 'add');
    assert.equal(kind('read a book'), 'add', 'a plain noun or verb phrase is still a task');
    assert.equal(kind('purple monkey dishwasher'), 'add');
  });
  it('a question about the clock is not a list of the day', () => {
    assert.equal(kind("what's the date today"), 'unknown');
    assert.equal(kind('what time is it now'), 'unknown');
    assert.equal(kind("what's due today"), 'list');
  });
  it('"what can u do" is help; yes/no answers may be several words', () => {
    assert.equal(kind('what can u do'), 'help');
    assert.equal(kind('what do i say'), 'help');
    for (const text of ['ok sure', 'yeah go on', 'alright do it'])
      assert.equal(kind(text), 'confirm', text);
    for (const text of ['nope leave them', 'no, keep it', "nah don't bother"])
      assert.equal(kind(text), 'deny', text);
    assert.equal(kind('thanks'), 'unknown', 'thanks alone is not a no');
    assert.equal(kind('delete everything'), 'delete-many');
  });
  it('picks from a list by where it is: top, bottom', () => {
    const pick = (text: string) => parseUtterance(text, ctx).intent;
    assert.deepEqual(pick('the one at the top'), { type: 'select', index: 1 });
    assert.deepEqual(pick('bottom one'), { type: 'select', index: -1 });
  });
});

describe('questions about the list', () => {
  const filter = (text: string) => {
    const { intent } = parseUtterance(text, ctx);
    assert.equal(intent.type, 'list', `${text} → ${JSON.stringify(intent)}`);
    return (intent as Extract<Intent, { type: 'list' }>).filter;
  };
  it('search verbs and "anything about": find X, look for X, is there anything on X', () => {
    assert.deepEqual(filter('look for invoice'), { q: 'invoice' });
    assert.deepEqual(filter('search insurance'), { q: 'insurance' });
    assert.deepEqual(filter('is there anything on the boiler'), { q: 'the boiler' });
    assert.equal(parseUtterance('find the charger by monday', ctx).intent.type, 'add');
  });
  it('no apostrophe, loose nouns, tags named as "my X tag", "late" = overdue', () => {
    assert.deepEqual(filter('tomorrows tasks'), { due: 'tomorrow' });
    assert.deepEqual(filter('show important things'), { priority: 'high' });
    assert.deepEqual(filter('list the garden tag'), { tag: 'garden' });
    assert.deepEqual(filter('what am i behind on'), { due: 'overdue' });
    assert.deepEqual(filter('any tasks with #work'), { tag: 'work' });
  });
  it('"everything" is every status unless something narrows it; "including done" is all', () => {
    assert.deepEqual(filter('show me everything'), { status: 'all' });
    assert.deepEqual(filter('everything high priority'), { priority: 'high' });
    assert.deepEqual(filter('show my tasks including completed ones'), { status: 'all' });
  });
  it('"get"/"see" are task verbs unless a list noun follows', () => {
    assert.equal(add('get a haircut next week').title, 'get a haircut');
    assert.deepEqual(filter('get my todos'), {});
  });
});

describe('edits of the task in focus and tasks by name', () => {
  const say = (text: string) => parseUtterance(text, ctx, { hasFocus: true }).intent;
  it('fields with only pronouns and field words left edit the focus, never add "tag it"', () => {
    assert.deepEqual(say('label it #work and #q4'), {
      type: 'update',
      ref: { kind: 'focus' },
      fields: {},
      tagsAdd: ['work', 'q4'],
    });
    assert.deepEqual(say('no reminders on that one'), {
      type: 'update',
      ref: { kind: 'focus' },
      fields: { reminderOffset: null },
    });
    assert.deepEqual(say('raise the priority to high'), {
      type: 'update',
      ref: { kind: 'focus' },
      fields: { priority: 'high' },
    });
  });
  it('"remove the X tag" edits tags; "make it <how> …" refers to the focus', () => {
    assert.deepEqual(say('drop the garden tag'), {
      type: 'update',
      ref: { kind: 'focus' },
      fields: {},
      tagsRemove: ['garden'],
    });
    const later = say('make it later, 9pm');
    assert.deepEqual(later.type === 'update' && [later.ref, later.fields.due?.time], [
      { kind: 'focus' },
      '21:00',
    ]);
  });
  it('proposals: "how about …", "can we do … instead", "let\'s say …"', () => {
    for (const text of ['how about tuesday at 4', 'could we do friday instead', "let's say 11am"]) {
      const intent = say(text);
      assert.ok(intent.type === 'update' && intent.ref.kind === 'focus' && intent.fields.due, text);
    }
  });
  it('"done: X", "delete - X", "X from my list"', () => {
    assert.deepEqual(say('finished: the tax return'), {
      type: 'complete',
      ref: { kind: 'title', text: 'tax return' },
    });
    assert.deepEqual(say('delete walk the dog from the list'), {
      type: 'delete',
      ref: { kind: 'title', text: 'walk the dog' },
    });
  });
});

describe('social talk, help, undo and answers in any combination', () => {
  const kind = (text: string) => parseUtterance(text, ctx).intent.type;
  it('greetings, thanks and goodbyes combined are talk, not tasks', () => {
    for (const text of [
      'ok thanks bye',
      'cya later',
      'morning mate',
      'perfect, cheers',
      'nothing else',
    ])
      assert.equal(kind(text), 'unknown', text);
    assert.equal(kind('thank you cards for the wedding'), 'add', 'a task that starts like one');
    assert.equal(kind('morning run'), 'add');
  });
  it('remarks and opinions are talk even when they name a day', () => {
    for (const text of ["that's hilarious", 'i hate fridays', "how's the weather tomorrow"])
      assert.equal(kind(text), 'unknown', text);
    assert.equal(kind('test the smoke alarm'), 'add');
    assert.equal(kind('watch the weather report'), 'add');
    assert.equal(kind('recommend anna for the role'), 'add');
  });
  it('help and undo in their everyday forms', () => {
    for (const text of ['i need some help', 'could you help me out', 'how do i delete a task'])
      assert.equal(kind(text), 'help', text);
    for (const text of ['undo my last change', 'roll back that', 'revert what you just did'])
      assert.equal(kind(text), 'undo', text);
  });
  it('yes/no answers and picks people type', () => {
    for (const text of ['yesss', 'yes, remove them all', "that's fine", 'sure thing'])
      assert.equal(kind(text), 'confirm', text);
    for (const text of ['hang on', 'nope, no need', "don't remove anything"])
      assert.equal(kind(text), 'deny', text);
    assert.equal(
      parseUtterance('delete it', ctx, { hasFocus: true }).intent.type,
      'delete',
      'a command is not an answer',
    );
    assert.deepEqual(parseUtterance('option three', ctx).intent, { type: 'select', index: 3 });
    assert.deepEqual(parseUtterance('the latter', ctx).intent, { type: 'select', index: -1 });
    assert.equal(kind('clear done'), 'delete-many');
    assert.equal(kind('remove the lot'), 'delete-many');
    assert.equal(kind('stretch twice weekly'), 'clarify');
  });
});

describe('more edits people make', () => {
  const say = (text: string) => parseUtterance(text, ctx, { hasFocus: true }).intent;
  it('priority by direction and by negation', () => {
    assert.deepEqual(say('decrease the priority'), {
      type: 'update',
      ref: { kind: 'focus' },
      fields: { priority: 'low' },
    });
    assert.deepEqual(say("it's not a priority"), {
      type: 'update',
      ref: { kind: 'focus' },
      fields: { priority: 'low' },
    });
  });
  it('removing a reminder or a due date never deletes the task', () => {
    assert.deepEqual(say('delete the reminder'), {
      type: 'update',
      ref: { kind: 'focus' },
      fields: { reminderOffset: null },
    });
    assert.deepEqual(say('clear the deadline'), {
      type: 'update',
      ref: { kind: 'focus' },
      fields: { due: null },
    });
    const at = say('set a reminder for 7am');
    assert.ok(
      at.type === 'update' && at.ref.kind === 'focus' && at.fields.reminderTime === '07:00',
    );
  });
  it('"repeat it every week" edits; "uncheck X" and "X is not done" reopen', () => {
    const r = say('repeat it every week');
    assert.ok(r.type === 'update' && r.ref.kind === 'focus' && r.fields.recurrence);
    assert.deepEqual(say('untick water plants'), {
      type: 'reopen',
      ref: { kind: 'title', text: 'water plants' },
    });
    assert.deepEqual(say('the essay is not done'), {
      type: 'reopen',
      ref: { kind: 'title', text: 'essay' },
    });
  });
});

describe('more questions about the list', () => {
  const filter = (text: string) => {
    const { intent } = parseUtterance(text, ctx);
    assert.equal(intent.type, 'list', `${text} → ${JSON.stringify(intent)}`);
    return (intent as Extract<Intent, { type: 'list' }>).filter;
  };
  it('describing words then a list noun; "am i behind", "did i miss anything"', () => {
    assert.deepEqual(filter('important todos'), { priority: 'high' });
    assert.deepEqual(filter('am i late on anything'), { due: 'overdue' });
    assert.deepEqual(filter('did i miss anything'), { due: 'overdue' });
    assert.deepEqual(filter('agenda for tomorrow'), { due: 'tomorrow' });
    assert.deepEqual(filter('list all'), { status: 'all' });
  });
  it('"my X list" names a list (ADR 330); "anything on X", "is there a task for X" search', () => {
    assert.deepEqual(filter("what's in my garden list"), { list: 'garden' });
    assert.deepEqual(filter('show my garden tasks'), { tag: 'garden' });
    assert.deepEqual(filter('show my overdue tasks'), { due: 'overdue' });
    assert.deepEqual(filter('anything on the boiler'), { q: 'the boiler' });
    assert.deepEqual(filter('is there a task for the vet'), { q: 'the vet' });
  });
});

describe('answers with fillers, corrections, several at once', () => {
  const kind = (text: string) => parseUtterance(text, ctx).intent.type;
  it('fillers before an answer, "neither", "aye", "no ta"', () => {
    for (const text of ['erm yes', 'aye', 'okey', 'exactly'])
      assert.equal(kind(text), 'confirm', text);
    for (const text of ['hmm no', 'neither', 'none of them', 'no ta', 'no cancel that'])
      assert.equal(kind(text), 'deny', text);
  });
  it('"i said X" and "i meant to say X" correct the last action', () => {
    assert.deepEqual(parseUtterance('i said feed the cat', ctx).intent, {
      type: 'correction',
      text: 'feed the cat',
      fields: {},
    });
    assert.equal(kind('i meant to say feed the cat'), 'correction');
  });
  it('deleting several by priority asks first', () => {
    assert.deepEqual(parseUtterance('remove all low priority tasks', ctx).intent, {
      type: 'delete-many',
      filter: { status: 'all', priority: 'low' },
    });
  });
});

describe('more talk that is not a task', () => {
  const kind = (text: string) => parseUtterance(text, ctx).intent.type;
  it('held-down letters, reactions, knowledge questions', () => {
    for (const text of [
      'heyyyy',
      'thanksss!!',
      'love it',
      "i don't get it",
      'define gravity',
      'coffee near me',
    ])
      assert.equal(kind(text), 'unknown', text);
  });
  it('"wait" is a correction marker only when it stands alone', () => {
    assert.equal(add('wait for the courier').title, 'wait for the courier');
  });
});

describe('help, undo and noise in everyday forms', () => {
  const kind = (text: string) => parseUtterance(text, ctx).intent.type;
  it('being lost is asking for help; ctrl-z and "oops, undo" undo', () => {
    for (const text of ['i am lost', 'how does this work', 'what do i do now', 'halp'])
      assert.equal(kind(text), 'help', text);
    for (const text of ['ctrl+z', 'oops, undo that', 'step back'])
      assert.equal(kind(text), 'undo', text);
  });
  it('placeholder words and held keys are noise; praise is talk; "how many" needs a list noun', () => {
    for (const text of ['foo bar baz', 'jjj', 'nice work', 'appreciate it', 'feeling low tonight'])
      assert.equal(kind(text), 'unknown', text);
    assert.equal(kind('how many cups in a litre'), 'unknown', 'not a question about the list');
    assert.equal(kind('how many tasks are open'), 'list');
  });
});

describe('vague amounts and placeholder titles', () => {
  it('"a couple of times a week" asks which days; "every couple of days" is every 2 days', () => {
    assert.equal(parseUtterance('swim a couple of times a week', ctx).intent.type, 'clarify');
    assert.deepEqual(add('feed the fish every couple of days').recurrence, {
      frequency: 'daily',
      interval: 2,
    });
  });
  it('a placeholder is no title; "sometime" is no date and no title word', () => {
    assert.equal(parseUtterance('add something for monday', ctx).intent.type, 'unknown');
    assert.deepEqual(add('fix the fence sometime'), { title: 'fix the fence' });
  });
});

describe('priority markers in brackets and with intensifiers', () => {
  it('"(urgent)", "[p1]", "super urgent" leave a clean title', () => {
    assert.deepEqual(add('renew insurance (urgent)'), {
      title: 'renew insurance',
      priority: 'high',
    });
    assert.deepEqual(add('renew insurance [p1]'), { title: 'renew insurance', priority: 'high' });
    assert.deepEqual(add('really urgent renew insurance'), {
      title: 'renew insurance',
      priority: 'high',
    });
  });
});

describe('picks and weekly amounts with their days', () => {
  it('a pick inside a correction is still a pick', () => {
    for (const [text, index] of [
      ['no, the third one', 3],
      ['i meant the last one', -1],
      ['the first one i mean', 1],
    ] as const)
      assert.deepEqual(parseUtterance(text, ctx).intent, { type: 'select', index }, text);
  });
  it('"twice a week on tue and fri" names the days: nothing to ask', () => {
    assert.deepEqual(add('swim twice a week on tue and fri').recurrence, {
      frequency: 'weekly',
      interval: 1,
      byWeekday: [1, 4],
    });
    assert.equal(parseUtterance('swim twice a week', ctx).intent.type, 'clarify');
  });
});

describe('chat shorthand and emoji', () => {
  it('emoji do not make talk a task; chat abbreviations are talk', () => {
    for (const text of ['thanks 🙏', 'hi 👋', 'brb', 'wyd', 'r u a bot', 'hello world'])
      assert.equal(parseUtterance(text, ctx).intent.type, 'unknown', text);
    assert.equal(
      add('buy cake 🎂 tomorrow').title,
      'buy cake 🎂',
      'a task with an emoji is a task',
    );
    // An emoji is part of the title as typed, unless typed last, after everything else.
    assert.equal(add('😀 party').title, '😀 party');
    assert.equal(add('water plants tonight 🌱').title, 'water plants');
  });
});

describe('tasks by name, more ways to say it', () => {
  const say = (text: string) => parseUtterance(text, ctx).intent;
  it('done: "all done with X", "X - done", "X\'s done", "X sorted", "mark off X"', () => {
    for (const text of [
      'all done with the ironing',
      'ironing - done',
      "ironing's done",
      'ironing sorted',
      'mark off the ironing',
    ])
      assert.deepEqual(
        say(text),
        { type: 'complete', ref: { kind: 'title', text: 'ironing' } },
        text,
      );
    assert.equal(say('get the ironing sorted by friday').type, 'add');
  });
  it('delete: "scratch X", "take X off my list"; move: "bring X forward", after "can you"', () => {
    assert.deepEqual(say('take the ironing off my list'), {
      type: 'delete',
      ref: { kind: 'title', text: 'ironing' },
    });
    assert.deepEqual(say('scratch the ironing'), {
      type: 'delete',
      ref: { kind: 'title', text: 'ironing' },
    });
    const moved = say('bring the ironing forward to monday');
    assert.ok(
      moved.type === 'reschedule' && moved.ref.kind === 'title' && moved.ref.text === 'ironing',
    );
    assert.deepEqual(say('can you push the ironing back a day'), {
      type: 'reschedule',
      ref: { kind: 'title', text: 'ironing' },
      shiftMinutes: 1440,
    });
  });
});

describe('a repeat rule on a task that exists', () => {
  const update = (text: string) => {
    const { intent } = parseUtterance(text, ctx, { hasFocus: true });
    assert.equal(intent.type, 'update', `${text} → ${JSON.stringify(intent)}`);
    return intent as Extract<Intent, { type: 'update' }>;
  };
  it('"make it every monday" sets no due date: the first Monday is only a hint for an undated task', () => {
    for (const text of ['make it every monday', 'make it repeat every 2 weeks', 'weekly pls']) {
      const u = update(text);
      assert.equal(u.fields.due, undefined, text);
      assert.ok(u.fields.recurrence && u.firstDue, text);
    }
    assert.equal(local(update('make it every monday').firstDue?.iso), '2026-11-30 09:00');
  });
  it('a day or time said with the rule is a due date: "make it every monday at 9am"', () => {
    const u = update('make it every monday at 9am');
    assert.equal(local(u.fields.due?.iso), '2026-11-30 09:00');
    assert.equal(u.firstDue, undefined);
  });
  it('a new task still starts on its first occurrence', () => {
    assert.equal(local(add('water plants every monday').due?.iso), '2026-11-30 09:00');
  });
});

describe('talk answered in kind', () => {
  const social = (text: string) => {
    const { intent } = parseUtterance(text, ctx);
    assert.equal(intent.type, 'unknown', text);
    return (intent as Extract<Intent, { type: 'unknown' }>).social;
  };
  it('thanks, with or without an addressee, typos or emoji', () => {
    for (const t of [
      'thx mate',
      'thanks!',
      'ty 🙏',
      'cheers buddy',
      'thankss',
      'great stuff thanks',
    ])
      assert.equal(social(t), 'thanks', t);
  });
  it('goodbyes and greetings', () => {
    assert.equal(social('bye'), 'farewell');
    assert.equal(social('good night bot'), 'farewell');
    assert.equal(social('hello'), 'greeting');
    assert.equal(social('lol'), undefined);
  });
  it('a sigh with a day in it is not a task: "ugh mondays"', () => {
    assert.equal(parseUtterance('ugh mondays', ctx).intent.type, 'unknown');
  });
});

describe('positions are not dates', () => {
  it('"delete the 2nd one" deletes the second task in the list', () => {
    assert.deepEqual(parseUtterance('delete the 2nd one', ctx, { hasFocus: true }).intent, {
      type: 'delete',
      ref: { kind: 'position', index: 2 },
    });
  });
});

describe('everyday phrasings that used to go wrong', () => {
  const say = (text: string, hasFocus = true) => parseUtterance(text, ctx, { hasFocus }).intent;
  it('a tag named alone is taken off; the task is not deleted: "remove #work"', () => {
    assert.deepEqual(say('remove #work'), {
      type: 'update',
      ref: { kind: 'focus' },
      fields: {},
      tagsRemove: ['work'],
    });
  });
  it('"can you delete all my tasks" asks to confirm, it does not delete a task called that', () => {
    assert.equal(say('can you delete all my tasks').type, 'delete-many');
  });
  it('"scratch that, call dad" corrects the last message; it deletes nothing', () => {
    assert.deepEqual(say('scratch that, call dad'), {
      type: 'correction',
      text: 'call dad',
      fields: {},
    });
  });
  it('news in the past tense completes: "bought the milk", "paid rent"', () => {
    assert.deepEqual(say('bought the milk'), {
      type: 'complete',
      ref: { kind: 'title', text: 'milk' },
    });
    assert.deepEqual(say('paid rent'), { type: 'complete', ref: { kind: 'title', text: 'rent' } });
  });
  it('"do the dishes" is a task, "do you sleep" a question', () => {
    assert.equal(add('do the dishes tomorrow').title, 'do the dishes');
    assert.equal(say('do you sleep', false).type, 'unknown');
  });
  it('"an hour later" moves the task in focus by an hour', () => {
    assert.deepEqual(say('an hour later'), {
      type: 'reschedule',
      ref: { kind: 'focus' },
      shiftMinutes: 60,
    });
  });
  it('"gym 2 days a week" asks which days', () => {
    assert.equal(say('gym 2 days a week', false).type, 'clarify');
  });
  it('a day said with "not" is the wrong one: "friday not thursday"', () => {
    const u = say('friday not thursday');
    assert.equal(u.type, 'update');
    assert.equal((u as Extract<Intent, { type: 'update' }>).fields.due?.date, '2026-12-04');
  });
});

describe('more repeat rules people say', () => {
  it('ranges, exceptions and "every last friday"', () => {
    assert.deepEqual(add('mon-fri 7am workout').recurrence?.byWeekday, [0, 1, 2, 3, 4]);
    assert.deepEqual(add('gym every day except sunday').recurrence?.byWeekday, [0, 1, 2, 3, 4, 5]);
    assert.equal(add('every last friday team drinks').recurrence?.rrule, 'FREQ=MONTHLY;BYDAY=-1FR');
    assert.deepEqual(add('every quarter review budget').recurrence, {
      frequency: 'monthly',
      interval: 3,
    });
  });
  it('a rule said first, then a verb: "every 3 months change filter" is a new task', () => {
    assert.equal(add('every 3 months change filter').title, 'change filter');
  });
});

describe('questions instead of guesses', () => {
  const say = (text: string, hasFocus = false) => parseUtterance(text, ctx, { hasFocus }).intent;
  const reason = (text: string, hasFocus = false) => {
    const i = say(text, hasFocus);
    return i.type === 'unknown' ? i.reason : i.type;
  };
  it('"twice a month" asks which days of the month; "twice a week" which weekdays', () => {
    const month = say('pay the cleaner twice a month');
    assert.equal(month.type, 'clarify');
    assert.equal((month as Extract<Intent, { type: 'clarify' }>).question, 'which-monthdays');
    const week = say('swim 2 times a week');
    assert.equal((week as Extract<Intent, { type: 'clarify' }>).question, 'which-days');
    assert.equal(reason('review finances twice monthly'), 'clarify');
  });
  it('a repeat more often than daily is refused with what was understood, never a task', () => {
    for (const text of [
      'drink water every hour',
      'stretch hourly',
      'check the oven every 30 minutes',
      'every 2 hours take a break',
      'take pills twice a day',
    ])
      assert.equal(reason(text), 'too-frequent', text);
    const i = say('stand up every hour tomorrow');
    assert.equal(i.type === 'unknown' && i.fields?.due?.date, '2026-11-30');
  });
  it('"change it" says nothing of what to change: a question, with or without a focus', () => {
    for (const text of ['change it', 'can you change that', 'edit it pls', 'update it'])
      assert.equal(reason(text, true), 'vague-edit', text);
  });
  it('"it" with no task in the conversation points at nothing', () => {
    assert.equal(reason('push it to friday'), 'no-focus');
    assert.equal(reason('actually make it friday'), 'no-focus');
    assert.equal(reason('push it to friday', true), 'reschedule');
  });
  it('"remind me to …" without a time adds the task without a reminder that cannot fire', () => {
    assert.deepEqual(add('remind me to call the bank'), { title: 'call the bank' });
    assert.equal(add('remind me to call the bank at 5pm').reminderOffset, 0);
    assert.deepEqual(parseQuickAdd('remind me to call the bank', ctx).fields, {});
    assert.deepEqual(parseUtterance('remind me', ctx, { hasFocus: true }).intent, {
      type: 'update',
      ref: { kind: 'focus' },
      fields: { reminderOffset: 0 },
    });
  });
  it('"x6" after a rule is its count; "start fresh, delete everything" asks to confirm', () => {
    assert.equal(add('guitar practice every sat 10am x6').recurrence?.maxOccurrences, 6);
    assert.equal(say('start fresh, delete everything').type, 'delete-many');
    assert.equal(say('delete all the overdue stuff').type, 'delete-many');
    assert.equal(say('clear my whole list').type, 'delete-many');
  });
  it('the quick-add box keeps a repeat it cannot set in the title, as typed', () => {
    for (const text of [
      'drink water every hour',
      'swim twice a week',
      'pay the cleaner twice a month',
    ]) {
      const q = parseQuickAdd(text, ctx);
      assert.equal(q.title, text, text);
      assert.equal(q.fields.recurrence, undefined, text);
      assert.ok(!q.entities.some((e) => e.kind === 'recurrence'), text);
    }
  });
  it('answers in more everyday forms; a command is still not one', () => {
    for (const text of ['yes to both', 'both of em', 'yes all', 'yep that one'])
      assert.equal(say(text).type, 'confirm', text);
    for (const text of ['na thx', 'nah keep em', "nah i'll keep them", 'not right now'])
      assert.equal(say(text).type, 'deny', text);
    assert.deepEqual(say('the first one i think'), { type: 'select', index: 1 });
    assert.deepEqual(say('the second 1'), { type: 'select', index: 2 });
    assert.equal(say('delete them all').type, 'delete-many');
    assert.equal(say('please delete everything').type, 'delete-many');
    assert.equal(reason('every week twice do the laundry'), 'clarify');
    assert.equal(reason('water the garden 2-3 times a week'), 'clarify');
  });
  it('"until the 15th" ends a series on the next 15th; "mark it done" without a focus asks', () => {
    const f = add('meditate every night until the 15th');
    assert.equal(local(f.recurrence?.endDate), '2026-12-15 23:59');
    assert.equal(reason('mark it done'), 'no-focus');
    assert.equal(reason('mark it done', true), 'complete');
  });
});

describe('a mistake said while a question is open', () => {
  it('"no that\'s wrong" answers the question; with no question it takes the change back', () => {
    const said = (text: string, pending: boolean) =>
      parseUtterance(text, ctx, { hasFocus: true, pending }).intent.type;
    assert.equal(said("no that's wrong", true), 'deny');
    assert.equal(said("no that's wrong", false), 'undo');
    assert.equal(said('undo that', true), 'undo', 'the word undo still takes back');
  });
});

describe('the decision step: a new task is weighed against the other readings', () => {
  const said = (text: string, hasFocus = false) => parseUtterance(text, ctx, { hasFocus }).intent;
  const kind = (i: Intent) => (i.type === 'unknown' ? `unknown:${i.reason}` : i.type);

  it('an edit verb, a field or a vague time without a value asks what to change', () => {
    for (const text of ['make it later', 'change the time', 'move it', 'a bit later', 'wrong day'])
      assert.equal(kind(said(text, true)), 'unknown:vague-edit', text);
    assert.equal(kind(said('change it to something else', true)), 'unknown:vague-edit');
  });

  it('answer words with a no deny, with one position pick; "not the first" is not the pick', () => {
    assert.equal(said('nah leave it as is').type, 'deny');
    assert.equal(said('not now thanks').type, 'deny');
    assert.deepEqual(said('the first one obviously'), { type: 'select', index: 1 });
    assert.deepEqual(said('not the first, the second'), { type: 'select', index: 2 });
    // "keep" and "leave" answer no, but with no plain no they may name a task.
    assert.equal(said('keep me #other', true).type, 'add');
  });

  it('fields with nothing else but answer and edit words edit the task in focus, or ask which', () => {
    const edit = said('wait make it 8pm not 7', true);
    assert.equal(edit.type, 'update');
    assert.equal((edit as Extract<Intent, { type: 'update' }>).fields.due?.time, '20:00');
    assert.equal(kind(said('nah friday')), 'unknown:no-focus', 'no task to move: ask which');
    const moved = said('nah friday', true) as Extract<Intent, { type: 'update' }>;
    assert.equal(moved.fields.due?.date, '2026-12-04');
    assert.deepEqual((said('set a reminder', true) as Extract<Intent, { type: 'update' }>).fields, {
      reminderOffset: 0,
    });
  });

  it('a bare hour is a time for the task in focus ("how about 5" is 17:00)', () => {
    const u = said('how about 5', true) as Extract<Intent, { type: 'update' }>;
    assert.deepEqual(
      [u.type, u.fields.due?.time, u.fields.due?.timeOnly],
      ['update', '17:00', true],
    );
    assert.equal(kind(said('lets say 5')), 'unknown:no-focus');
  });

  it('a title must name something; pointing at a task or talking is not a task', () => {
    assert.equal(kind(said('at some point next month')), 'unknown:no-title');
    assert.equal(kind(said('the dentist one')), 'unknown:no-title');
    assert.equal(kind(said('my cat is so cute')), 'unknown:smalltalk');
    assert.equal(kind(said('now what')), 'unknown:smalltalk');
    // Real tasks stay tasks.
    for (const text of ['call mom later', 'dentist', 'the report is due friday', '😀 party'])
      assert.equal(said(text).type, 'add', text);
  });

  it('"after lunch" is 13:00, "around 6" and "6ish" are 18:00', () => {
    assert.equal(local(add('call mom after lunch').due?.iso), '2026-11-29 13:00');
    assert.equal(local(add('call mum around 6').due?.iso), '2026-11-29 18:00');
    assert.equal(add('call mum 6ish').title, 'call mum');
    // A number before a noun is a count, not an hour.
    assert.equal(add('write about 5 ideas').title, 'write about 5 ideas');
    assert.equal(add('print by 5 copies').due, undefined);
    assert.equal(local(add('email prof today by 5').due?.iso), '2026-11-29 17:00');
  });
});

describe('lists (ADR 330)', () => {
  const lists = ['Inbox', 'Groceries', 'Work', 'Home', 'Later'];
  const read = (text: string, hasFocus = false) =>
    parseUtterance(text, ctx, { lists, hasFocus }).intent;
  it('adds to a list named with "list", or to one of the user\'s lists', () => {
    assert.deepEqual(read('put eggs on the shopping list'), {
      type: 'add',
      fields: { title: 'eggs', list: 'shopping' },
    });
    assert.deepEqual(read('add milk to groceries'), {
      type: 'add',
      fields: { title: 'milk', list: 'groceries' },
    });
    assert.deepEqual(read('groceries: milk, bread'), {
      type: 'add-many',
      list: 'groceries',
      titles: ['milk', 'bread'],
    });
  });
  it('a list name that is an ordinary word stays in the title unless said as an addition', () => {
    const drive = read('drive to work tomorrow');
    assert.equal(drive.type, 'add');
    assert.equal((drive as Extract<Intent, { type: 'add' }>).fields.title, 'drive to work');
    assert.equal((drive as Extract<Intent, { type: 'add' }>).fields.list, undefined);
    assert.deepEqual(read('move taxes to later'), {
      type: 'move-to-list',
      ref: { kind: 'title', text: 'taxes' },
      list: 'later',
    });
    // Without a Later list, "later" is no list.
    const noLater = parseUtterance('move taxes to later', ctx, { lists: ['Inbox'] }).intent;
    assert.notEqual(noLater.type, 'move-to-list');
    assert.equal(read('move taxes to friday').type, 'reschedule');
  });
  it('asks about a list, keeping the other filters', () => {
    assert.deepEqual(read('whats on my work list'), { type: 'list', filter: { list: 'work' } });
    assert.deepEqual(read('whats due today on work'), {
      type: 'list',
      filter: { due: 'today', list: 'work' },
    });
    assert.deepEqual(read('groceries?'), { type: 'list', filter: { list: 'groceries' } });
    assert.deepEqual(read('show my lists'), { type: 'show-lists' });
  });
  it('makes, renames, archives, deletes and clears lists; a task rename stays a task rename', () => {
    assert.deepEqual(read('make a new list for the holiday'), {
      type: 'create-list',
      name: 'holiday',
    });
    assert.deepEqual(read('rename groceries to Food'), {
      type: 'rename-list',
      list: 'groceries',
      name: 'Food',
    });
    assert.equal(read('rename dentist to dentist checkup').type, 'update');
    assert.deepEqual(read('archive the work list'), { type: 'archive-list', list: 'work' });
    assert.deepEqual(read('delete the groceries list'), { type: 'delete-list', list: 'groceries' });
    assert.equal(read('remove buy milk from my list').type, 'delete');
    assert.deepEqual(read('clear the done ones from work'), {
      type: 'delete-many',
      filter: { status: 'completed', list: 'work' },
    });
  });
  it('reads sharing and assignment', () => {
    assert.deepEqual(read('share groceries with ada@example.com as editor'), {
      type: 'share-list',
      list: 'groceries',
      with: 'ada@example.com',
      role: 'editor',
    });
    assert.deepEqual(read('invite sam@example.com to home'), {
      type: 'share-list',
      list: 'home',
      with: 'sam@example.com',
    });
    assert.deepEqual(read('assign the report to Sam'), {
      type: 'assign',
      ref: { kind: 'title', text: 'report' },
      assignee: 'sam',
    });
    assert.deepEqual(read('assign it to me', true), {
      type: 'assign',
      ref: { kind: 'focus' },
      assignee: 'me',
    });
  });
  it('asks about a list’s activity or who did something to a task (ADR 375)', () => {
    assert.deepEqual(read('what changed on groceries'), { type: 'activity', list: 'groceries' });
    assert.deepEqual(read('any changes to the work list?'), { type: 'activity', list: 'work' });
    assert.deepEqual(read('who completed the report'), {
      type: 'activity',
      ref: { kind: 'title', text: 'report' },
      did: 'completed',
    });
    assert.deepEqual(read('who added the budget task?'), {
      type: 'activity',
      ref: { kind: 'title', text: 'budget' },
      did: 'added',
    });
    // A listing stays a listing; a question about people or the bot is no task's history.
    assert.deepEqual(read('whats on groceries'), { type: 'list', filter: { list: 'groceries' } });
    assert.notEqual(read('who made you').type, 'activity');
    assert.notEqual(read('what changed on tuesday').type, 'activity');
  });
});
