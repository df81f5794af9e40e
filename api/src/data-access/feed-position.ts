import { QueryTypes } from 'sequelize';
import { TaskChangeModel } from './models/index.js';
import { memberListIdsSql } from './list-members.js';

/**
 * The newest change-feed seq `userId` may read (the policy's feed: rows under their own id and
 * every row of a list they are a member of), or null when there is none.
 *
 * Written as one indexed lookup per source, newest first, instead of `max(seq)` over the two
 * conditions OR-ed: PostgreSQL cannot walk an index backwards for an OR, so that read every
 * feed row of the user on each listing (3.8 ms mean, growing with the feed, in the CRUD
 * benchmark at 300 req/s).
 */
export async function latestFeedSeq(userId: string): Promise<string | null> {
  const rows = await TaskChangeModel.sequelize!.query<{ seq: string | null }>(
    `SELECT GREATEST(
       (SELECT max(seq) FROM task_changes WHERE user_id = $1),
       (SELECT max(newest.seq) FROM ${memberListIdsSql('$1')} AS lists,
          LATERAL (SELECT max(seq) AS seq FROM task_changes c WHERE c.list_id = lists.list_id)
            AS newest)
     )::text AS seq`,
    { bind: [userId], type: QueryTypes.SELECT },
  );
  return rows[0]?.seq ?? null;
}
