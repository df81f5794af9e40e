import type { Redis } from 'ioredis';

/**
 * Per task: the newest task version the scheduler applied, the id of the delayed job it left,
 * and whose due sets that job was put in (JSON: recipient id -> due-set member; ADR 385).
 * Compare-and-set in one Lua call, so an older event arriving late changes nothing.
 * An equal version is applied again: a redelivery after a half-done attempt repairs it.
 */
const SWAP_SCRIPT = `
local incoming = tonumber(ARGV[1])
local current = redis.call('HGET', KEYS[1], 'version')
if current and tonumber(current) > incoming then return {0, '', ''} end
local previous = redis.call('HMGET', KEYS[1], 'jobId', 'tracked')
redis.call('HSET', KEYS[1], 'version', ARGV[1], 'jobId', ARGV[2], 'tracked', ARGV[4])
redis.call('EXPIRE', KEYS[1], ARGV[3])
return {1, previous[1] or '', previous[2] or ''}
`;

/** Recipient id -> the member their due set holds for the task's job. */
export type TrackedRecipients = Map<string, string>;

export interface SwapResult {
  applied: boolean;
  /** The job id recorded before this call ('' = none). */
  previousJobId: string;
  /**
   * Whose due sets the previous job is in. A state written before ADR 385 names none: its job
   * was tracked for the task's owner of record only, under the job id (filled in here).
   */
  previousTracked: TrackedRecipients;
}

const parse = (json: string): TrackedRecipients =>
  new Map(Object.entries(JSON.parse(json) as Record<string, string>));

export class ReminderState {
  constructor(
    private readonly redis: Redis,
    private readonly prefix: string,
  ) {}

  private key = (taskId: string) => `${this.prefix}:reminder-state:${taskId}`;

  async swap(
    taskId: string,
    version: number,
    jobId: string,
    ttlSeconds: number,
    tracked: TrackedRecipients,
    ownerId: string,
  ): Promise<SwapResult> {
    const [applied, previousJobId, previousTracked] = (await this.redis.eval(
      SWAP_SCRIPT,
      1,
      this.key(taskId),
      String(version),
      jobId,
      String(Math.ceil(ttlSeconds)),
      JSON.stringify(Object.fromEntries(tracked)),
    )) as [number, string, string];
    return {
      applied: applied === 1,
      previousJobId,
      previousTracked: previousTracked
        ? parse(previousTracked)
        : new Map(previousJobId ? [[ownerId, previousJobId]] : []),
    };
  }

  /**
   * Where job `jobId` stands, in one read: `current` unless the state records another job (or
   * none) for the task; `tracked`, whose due sets it was put in while it is the task's job (a
   * job replaced since was taken out of them by its replacement). No state (lost with Redis,
   * or from before ADR 385): current, in its owner's set under the job id, as every job was
   * tracked until then.
   */
  async standing(
    taskId: string,
    jobId: string,
    ownerId: string,
  ): Promise<{ current: boolean; tracked: TrackedRecipients }> {
    const [recorded, tracked] = await this.redis.hmget(this.key(taskId), 'jobId', 'tracked');
    if (recorded !== null && recorded !== jobId) return { current: false, tracked: new Map() };
    return { current: true, tracked: tracked ? parse(tracked) : new Map([[ownerId, jobId]]) };
  }
}
