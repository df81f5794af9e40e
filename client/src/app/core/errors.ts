import { HttpErrorResponse } from '@angular/common/http';
import type { ErrorBody } from './types';

/** An error put into words for people: a sentence and, for a 400, one message per field. */
export interface UserFacingError {
  message: string;
  /** Field path (`title`, `recurrence.maxOccurrences`, …) → message. */
  fields: Record<string, string>;
  status: number;
  code: string;
  /** The server's own sentence (e.g. why a 403), when it sent one; '' otherwise. */
  serverMessage: string;
}

function isErrorBody(value: unknown): value is ErrorBody {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { error?: unknown }).error === 'string' &&
    typeof (value as { message?: unknown }).message === 'string'
  );
}

const BY_STATUS: Record<number, string> = {
  0: 'Cannot reach the server. Check your connection and try again.',
  401: 'Your session has ended. Please sign in again.',
  403: 'You are not allowed to do that.',
  404: 'That item no longer exists.',
  409: 'Someone changed this in another tab or device. The latest version is shown.',
  413: 'That is too large to save.',
  429: 'Too many requests: wait a few seconds and try again.',
  502: 'The service is restarting. Try again in a moment.',
  503: 'The service is temporarily unavailable. Try again in a moment.',
};

/** Turns whatever an HTTP call threw into a sentence (never "[object Object]"). */
export function describeError(error: unknown): UserFacingError {
  if (error instanceof HttpErrorResponse) {
    const body: unknown = error.error;
    const fields: Record<string, string> = {};
    if (isErrorBody(body)) {
      for (const detail of body.details ?? []) {
        fields[detail.field] ??= capitalise(detail.message);
      }
      const message =
        error.status === 400 || error.status === 422
          ? capitalise(body.message)
          : (BY_STATUS[error.status] ?? capitalise(body.message));
      return {
        message,
        fields,
        status: error.status,
        code: body.error,
        serverMessage: body.message,
      };
    }
    // Better Auth errors: {code, message}
    if (typeof body === 'object' && body !== null && 'message' in body) {
      const message = String((body as { message: unknown }).message);
      return {
        message: capitalise(message),
        fields,
        status: error.status,
        code: 'AUTH',
        serverMessage: message,
      };
    }
    return {
      message: BY_STATUS[error.status] ?? `Something went wrong (HTTP ${error.status}).`,
      fields,
      status: error.status,
      code: 'HTTP',
      serverMessage: '',
    };
  }
  if (error instanceof Error)
    return { message: error.message, fields: {}, status: -1, code: 'CLIENT', serverMessage: '' };
  return {
    message: 'Something went wrong.',
    fields: {},
    status: -1,
    code: 'CLIENT',
    serverMessage: '',
  };
}

function capitalise(text: string): string {
  const trimmed = text.trim();
  if (!trimmed) return 'Something went wrong.';
  return trimmed[0]!.toUpperCase() + trimmed.slice(1);
}
