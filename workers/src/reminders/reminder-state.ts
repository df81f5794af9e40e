import type { Redis } from 'ioredis';

/**
 * Per task: the newest task version the scheduler applied and the id of the delayed job it
 * left. Compare-and-set in one Lua call, so an older event arriving late changes nothing.
 * An equal version is applied again: a redelivery after a half-done attempt repairs it.
 */
const SWAP_SCRIPT = `
local incoming = tonumber(ARGV[1])
local current = redis.call('HGET', KEYS[1], 'version')
if current and tonumber(current) > incoming then return {0, ''} end
local previous = redis.call('HGET', KEYS[1], 'jobId') or ''
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'jobId', ARGV[2])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, previous}
`;

export interface SwapResult {
  applied: boolean;
  /** The job id recorded before this call ('' = none). */
  previousJobId: string;
}

export class ReminderState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  async swap(
    taskId: string,
    version: number,
    jobId: string,
    ttlSeconds: number,
  ): Promise<SwapResult> {
    const key = `${this.prefix}:reminder-state:${taskId}`;
    const [applied, previousJobId] = (await this.redis.eval(
      SWAP_SCRIPT,
      1,
      key,
      String(version),
      jobId,
      String(Math.ceil(ttlSeconds)),
    )) as [number, string];
    return { applied: applied === 1, previousJobId };
  }

  /** True unless the state records another job (or none) for the task. */
  async isCurrent(taskId: string, jobId: string): Promise<boolean> {
    const recorded = await this.redis.hget(`${this.prefix}:reminder-state:${taskId}`, 'jobId');
    return recorded === null || recorded === jobId;
  }
}
