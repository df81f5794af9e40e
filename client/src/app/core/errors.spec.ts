import { HttpErrorResponse } from '@angular/common/http';
import { describeError } from './errors';

describe('describeError', () => {
  it('puts each field of a 400 next to its name', () => {
    const error = new HttpErrorResponse({
      status: 400,
      error: {
        error: 'VALIDATION_FAILED',
        message: 'invalid body: title, recurrence',
        details: [
          { field: 'title', message: '"title" is not allowed to be empty', type: 'string.empty' },
          {
            field: 'recurrence',
            message: 'recurrence needs exactly one of endDate or maxOccurrences',
            type: 'object.missing',
          },
        ],
        correlationId: 'c1',
      },
    });
    const described = describeError(error);
    expect(described.fields['title']).toBe('"title" is not allowed to be empty');
    expect(described.fields['recurrence']).toContain('exactly one');
    expect(described.message).toBe('Invalid body: title, recurrence');
    expect(described.code).toBe('VALIDATION_FAILED');
  });

  it('says offline, conflict and unknown errors in words', () => {
    expect(describeError(new HttpErrorResponse({ status: 0 })).message).toContain('Cannot reach');
    expect(
      describeError(
        new HttpErrorResponse({
          status: 409,
          error: { error: 'CONFLICT', message: 'stale', correlationId: 'x' },
        }),
      ).message,
    ).toContain('another tab');
    expect(describeError(new HttpErrorResponse({ status: 418 })).message).toContain('HTTP 418');
    expect(describeError('weird').message).toBe('Something went wrong.');
  });

  it('reads Better Auth errors', () => {
    const error = new HttpErrorResponse({
      status: 422,
      error: { code: 'USER_ALREADY_EXISTS', message: 'user already exists' },
    });
    expect(describeError(error).message).toBe('User already exists');
  });
});
