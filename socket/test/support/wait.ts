/** socket.io-style `once`/`off`, as every client socket and manager has. */
interface Listenable {
  once(event: string, listener: (...args: never[]) => void): unknown;
  off(event: string, listener: (...args: never[]) => void): unknown;
}

/** Resolves with the first argument of the next `event`, or rejects after `timeoutMs`. */
export function nextEvent<T>(source: object, event: string, timeoutMs = 5_000): Promise<T> {
  // Typed sockets only accept their declared event names; tests also wait on reserved ones.
  const target = source as Listenable;
  return new Promise<T>((resolve, reject) => {
    const listener = (value: T) => {
      clearTimeout(timer);
      resolve(value);
    };
    const timer = setTimeout(() => {
      target.off(event, listener as (...args: never[]) => void);
      reject(new Error(`timed out after ${timeoutMs} ms waiting for "${event}"`));
    }, timeoutMs);
    target.once(event, listener as (...args: never[]) => void);
  });
}

/** Polls a condition that no event announces (e.g. server-side socket counts). */
export async function until(
  condition: () => boolean | Promise<boolean>,
  what: string,
  timeoutMs = 5_000,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline)
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
