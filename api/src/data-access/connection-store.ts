import { QueryTypes, type Sequelize } from 'sequelize';
import type { AccessTokenScope } from '@todo/contracts';

/** A personal access token's row, without its hash. */
export interface AccessTokenRow {
  id: string;
  userId: string;
  name: string;
  scope: AccessTokenScope;
  hint: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

export interface CalendarFeedRow {
  userId: string;
  createdAt: Date;
  lastUsedAt: Date | null;
}

const TOKEN_COLUMNS = `id, user_id AS "userId", name, scope, hint,
  created_at AS "createdAt", last_used_at AS "lastUsedAt"`;

/**
 * Personal access tokens and calendar feeds in PostgreSQL: rows are found by the SHA-256 of
 * their secret. `last_used_at` is written only when it is a minute old or more, so a script
 * polling every second costs one indexed read per request, not a row write (and a dead
 * tuple) each time.
 */
export class ConnectionStore {
  constructor(private readonly sequelize: Sequelize) {}

  async insertToken(row: Omit<AccessTokenRow, 'createdAt' | 'lastUsedAt'>, tokenHash: string) {
    const [created] = await this.sequelize.query<AccessTokenRow>(
      `INSERT INTO personal_access_tokens (id, user_id, name, scope, token_hash, hint)
       VALUES ($1, $2, $3, $4, $5, $6) RETURNING ${TOKEN_COLUMNS}`,
      {
        bind: [row.id, row.userId, row.name, row.scope, tokenHash, row.hint],
        type: QueryTypes.SELECT,
      },
    );
    return created!;
  }

  async countTokens(userId: string): Promise<number> {
    const [row] = await this.sequelize.query<{ count: string }>(
      'SELECT count(*) AS count FROM personal_access_tokens WHERE user_id = $1',
      { bind: [userId], type: QueryTypes.SELECT },
    );
    return Number(row?.count ?? 0);
  }

  listTokens(userId: string): Promise<AccessTokenRow[]> {
    return this.sequelize.query<AccessTokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM personal_access_tokens WHERE user_id = $1
       ORDER BY created_at DESC, id`,
      { bind: [userId], type: QueryTypes.SELECT },
    );
  }

  /** Deletes the user's token; false when they have no such token. */
  async deleteToken(userId: string, id: string): Promise<boolean> {
    const rows = await this.sequelize.query<{ id: string }>(
      'DELETE FROM personal_access_tokens WHERE user_id = $1 AND id = $2 RETURNING id',
      { bind: [userId, id], type: QueryTypes.SELECT },
    );
    return rows.length > 0;
  }

  async findTokenByHash(tokenHash: string): Promise<AccessTokenRow | null> {
    const [row] = await this.sequelize.query<AccessTokenRow>(
      `SELECT ${TOKEN_COLUMNS} FROM personal_access_tokens WHERE token_hash = $1`,
      { bind: [tokenHash], type: QueryTypes.SELECT },
    );
    return row ?? null;
  }

  async touchToken(id: string): Promise<void> {
    await this.sequelize.query(
      `UPDATE personal_access_tokens SET last_used_at = now()
       WHERE id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      { bind: [id] },
    );
  }

  /** Creates the user's feed or replaces its secret (the old URL stops working). */
  async upsertFeed(userId: string, tokenHash: string): Promise<CalendarFeedRow> {
    const [row] = await this.sequelize.query<CalendarFeedRow>(
      `INSERT INTO calendar_feeds (user_id, token_hash) VALUES ($1, $2)
       ON CONFLICT (user_id) DO UPDATE
         SET token_hash = EXCLUDED.token_hash, created_at = now(), last_used_at = NULL
       RETURNING user_id AS "userId", created_at AS "createdAt", last_used_at AS "lastUsedAt"`,
      { bind: [userId, tokenHash], type: QueryTypes.SELECT },
    );
    return row!;
  }

  async findFeed(userId: string): Promise<CalendarFeedRow | null> {
    const [row] = await this.sequelize.query<CalendarFeedRow>(
      `SELECT user_id AS "userId", created_at AS "createdAt", last_used_at AS "lastUsedAt"
       FROM calendar_feeds WHERE user_id = $1`,
      { bind: [userId], type: QueryTypes.SELECT },
    );
    return row ?? null;
  }

  async findFeedByHash(tokenHash: string): Promise<CalendarFeedRow | null> {
    const [row] = await this.sequelize.query<CalendarFeedRow>(
      `SELECT user_id AS "userId", created_at AS "createdAt", last_used_at AS "lastUsedAt"
       FROM calendar_feeds WHERE token_hash = $1`,
      { bind: [tokenHash], type: QueryTypes.SELECT },
    );
    return row ?? null;
  }

  async deleteFeed(userId: string): Promise<boolean> {
    const rows = await this.sequelize.query<{ userId: string }>(
      'DELETE FROM calendar_feeds WHERE user_id = $1 RETURNING user_id AS "userId"',
      { bind: [userId], type: QueryTypes.SELECT },
    );
    return rows.length > 0;
  }

  async touchFeed(userId: string): Promise<void> {
    await this.sequelize.query(
      `UPDATE calendar_feeds SET last_used_at = now()
       WHERE user_id = $1 AND (last_used_at IS NULL OR last_used_at < now() - interval '1 minute')`,
      { bind: [userId] },
    );
  }
}
