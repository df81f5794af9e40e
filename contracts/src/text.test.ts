import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  TAG_MAX,
  TITLE_MAX,
  chatRequestSchema,
  createTaskSchema,
  signUpRequestSchema,
  validationOptions,
} from './index.js';
import { codePointLength, truncateCodePoints } from './text.js';

const EMOJI = '\u{1F600}'; // 😀: one character, two UTF-16 code units
// "é" written as e + COMBINING ACUTE ACCENT: one glyph, two code points.
const E_ACUTE = 'e\u0301';

const errorsOf = (result: { error?: { details: { path: (string | number)[]; type: string }[] } }) =>
  (result.error?.details ?? []).map((d) => `${d.path.join('.')}:${d.type}`);

describe('bounded text counts characters (code points)', () => {
  it(`a title of ${TITLE_MAX} emoji is accepted and kept intact`, () => {
    const title = EMOJI.repeat(TITLE_MAX);
    const result = createTaskSchema.validate({ title }, validationOptions);
    assert.deepEqual(errorsOf(result), []);
    assert.equal((result.value as { title: string }).title, title);
  });

  it(`a title of ${TITLE_MAX + 1} emoji is refused as string.max naming the title`, () => {
    const result = createTaskSchema.validate(
      { title: EMOJI.repeat(TITLE_MAX + 1) },
      validationOptions,
    );
    assert.deepEqual(errorsOf(result), ['title:string.max']);
    assert.match(
      result.error?.message ?? '',
      /^title length must be less than or equal to 255 characters long$/,
    );
  });

  it('truncates by characters, never leaving half an emoji', () => {
    const cut = truncateCodePoints(`Reminder: ${'😀'.repeat(TITLE_MAX)}`, TITLE_MAX);
    assert.equal(codePointLength(cut), TITLE_MAX);
    assert.ok(cut.endsWith('😀'), 'the last character is a whole emoji');
    assert.equal(truncateCodePoints('short', TITLE_MAX), 'short');
  });

  it('a combining sequence counts as its code points', () => {
    assert.equal(codePointLength(E_ACUTE), 2);
    const fits = E_ACUTE.repeat(TITLE_MAX / 2 - 0.5); // 127 × 2 = 254 code points
    assert.deepEqual(
      errorsOf(createTaskSchema.validate({ title: `${fits}x` }, validationOptions)),
      [],
    );
    assert.deepEqual(
      errorsOf(createTaskSchema.validate({ title: `${fits}${E_ACUTE}` }, validationOptions)),
      ['title:string.max'],
    );
  });

  it(`tags of ${TAG_MAX} emoji fit, one more is refused naming the item`, () => {
    const ok = createTaskSchema.validate(
      { title: 't', tags: [EMOJI.repeat(TAG_MAX)] },
      validationOptions,
    );
    assert.deepEqual(errorsOf(ok), []);
    const over = createTaskSchema.validate(
      { title: 't', tags: [EMOJI.repeat(TAG_MAX + 1)] },
      validationOptions,
    );
    assert.deepEqual(errorsOf(over), ['tags.0:string.max']);
  });

  it('min counts characters too, after trimming', () => {
    assert.deepEqual(errorsOf(createTaskSchema.validate({ title: '   ' }, validationOptions)), [
      'title:string.empty',
    ]);
    const shortPassword = signUpRequestSchema.validate(
      { email: 'ada@example.com', password: EMOJI.repeat(7), name: 'Ada' },
      validationOptions,
    );
    // 14 code units, but 7 characters: under the 8-character minimum.
    assert.deepEqual(errorsOf(shortPassword), ['password:string.min']);
  });

  it('a chat message and a name are measured the same way', () => {
    assert.deepEqual(
      errorsOf(chatRequestSchema.validate({ message: EMOJI.repeat(4000) }, validationOptions)),
      [],
    );
    assert.deepEqual(
      errorsOf(
        signUpRequestSchema.validate(
          { email: 'ada@example.com', password: 'long enough', name: EMOJI.repeat(100) },
          validationOptions,
        ),
      ),
      [],
    );
  });

  it('describes its limits as joi min/max, so the OpenAPI document keeps minLength/maxLength', () => {
    const described = createTaskSchema.describe() as {
      keys: { title: { type: string; rules: { name: string; args: { limit: number } }[] } };
    };
    assert.equal(described.keys.title.type, 'string');
    assert.deepEqual(
      described.keys.title.rules.filter((r) => r.name === 'min' || r.name === 'max'),
      [
        { name: 'min', args: { limit: 1 } },
        { name: 'max', args: { limit: TITLE_MAX } },
      ],
    );
  });
});
