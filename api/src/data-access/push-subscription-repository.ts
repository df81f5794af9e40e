import { QueryTypes, type Sequelize } from 'sequelize';

export interface StoredPushSubscription {
  id: string;
  endpoint: string;
  createdAt: Date;
}

export interface NewPushSubscription {
  userId: string;
  endpoint: string;
  p256dh: string;
  auth: string;
  expirationTime: Date | null;
}

/** `push_subscriptions` (migration 010): one row per device of a user. */
export class PushSubscriptionRepository {
  constructor(private readonly sequelize: Sequelize) {}

  /**
   * Inserts, or refreshes the keys of the row the same browser created before: the
   * `(user_id, endpoint)` key makes a repeated subscribe one row.
   */
  async upsert(row: NewPushSubscription): Promise<StoredPushSubscription> {
    const [saved] = await this.sequelize.query<StoredPushSubscription>(
      `INSERT INTO push_subscriptions (user_id, endpoint, p256dh, auth, expiration_time)
       VALUES ($1, $2, $3, $4, $5)
       ON CONFLICT (user_id, endpoint) DO UPDATE
         SET p256dh = EXCLUDED.p256dh, auth = EXCLUDED.auth,
             expiration_time = EXCLUDED.expiration_time, updated_at = now()
       RETURNING id, endpoint, created_at AS "createdAt"`,
      {
        bind: [row.userId, row.endpoint, row.p256dh, row.auth, row.expirationTime],
        type: QueryTypes.SELECT,
      },
    );
    return saved!;
  }

  list(userId: string): Promise<StoredPushSubscription[]> {
    return this.sequelize.query<StoredPushSubscription>(
      `SELECT id, endpoint, created_at AS "createdAt" FROM push_subscriptions
       WHERE user_id = $1 ORDER BY created_at, id`,
      { bind: [userId], type: QueryTypes.SELECT },
    );
  }

  /** Deletes the user's rows matching `where`; answers how many went. */
  async delete(userId: string, where: { id?: string; endpoint?: string }): Promise<number> {
    const [rows] = await this.sequelize.query(
      `DELETE FROM push_subscriptions
       WHERE user_id = $1 AND ($2::uuid IS NULL OR id = $2::uuid)
         AND ($3::text IS NULL OR endpoint = $3::text)
       RETURNING id`,
      { bind: [userId, where.id ?? null, where.endpoint ?? null] },
    );
    return (rows as unknown[]).length;
  }
}
