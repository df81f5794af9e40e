/**
 * Where sign-in and sign-up go back to (`?next=`), and the invite waiting for them. Only an
 * invite page is a place to return to: any other value is ignored, so a crafted link cannot send
 * someone elsewhere after they sign in.
 */
const INVITE_PATH = /^\/invites\/[A-Za-z0-9_-]{20,100}$/;
const PENDING_KEY = 'todo.pendingInvite';

/** The page to open after signing in: `next` when it is an invite page, else the tasks. */
export function returnTo(next: unknown): string {
  return typeof next === 'string' && INVITE_PATH.test(next) ? next : '/tasks';
}

/**
 * Remembers the invite being accepted across signing up and confirming the address (which can
 * happen in another tab, from the mailed link), until it is accepted.
 */
export function rememberInvite(token: string | null): void {
  try {
    if (token) localStorage.setItem(PENDING_KEY, token);
    else localStorage.removeItem(PENDING_KEY);
  } catch {
    // Storage blocked: the invite link in the mail still works.
  }
}

/** The invite page still waiting to be accepted in this browser, if any. */
export function pendingInvite(): string | null {
  try {
    const token = localStorage.getItem(PENDING_KEY);
    return token && INVITE_PATH.test(`/invites/${token}`) ? `/invites/${token}` : null;
  } catch {
    return null;
  }
}
