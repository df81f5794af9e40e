import { SequelizeStorage, Umzug } from 'umzug';
import type { QueryInterface, Sequelize } from 'sequelize';
import type { Logger } from '@todo/platform';
import * as m001 from './migrations/001-tasks-and-outbox.js';
import * as m002 from './migrations/002-conversations.js';
import * as m003 from './migrations/003-chat-message-order.js';
import * as m004 from './migrations/004-retention.js';
import * as m005 from './migrations/005-open-series-and-chosen-zone.js';
import * as m008 from './migrations/008-schedule-view.js';
import * as m009 from './migrations/009-schedule-view-delivery.js';
import * as m010 from './migrations/010-push-subscriptions.js';
import * as m011 from './migrations/011-email-and-delivery-status.js';
import * as m012 from './migrations/012-idempotency-keys.js';
import * as m013 from './migrations/013-task-search.js';
import * as m014 from './migrations/014-access-tokens-and-calendar-feeds.js';
import * as m016 from './migrations/016-lists.js';
import * as m017 from './migrations/017-list-sharing.js';
import * as m018 from './migrations/018-list-activity.js';
import * as m019 from './migrations/019-member-reminders.js';
import * as m020 from './migrations/020-recipient-view-join.js';

/**
 * Migrations are imported explicitly (not globbed) so the same list works from
 * TypeScript sources and from the compiled dist/ in a container.
 */
const migrations = [
  { name: '001-tasks-and-outbox', ...m001 },
  { name: '002-conversations', ...m002 },
  { name: '003-chat-message-order', ...m003 },
  { name: '004-retention', ...m004 },
  { name: '005-open-series-and-chosen-zone', ...m005 },
  { name: '008-schedule-view', ...m008 },
  { name: '009-schedule-view-delivery', ...m009 },
  { name: '010-push-subscriptions', ...m010 },
  { name: '011-email-and-delivery-status', ...m011 },
  { name: '012-idempotency-keys', ...m012 },
  { name: '013-task-search', ...m013 },
  { name: '014-access-tokens-and-calendar-feeds', ...m014 },
  { name: '016-lists', ...m016 },
  { name: '017-list-sharing', ...m017 },
  { name: '018-list-activity', ...m018 },
  { name: '019-member-reminders', ...m019 },
  { name: '020-recipient-view-join', ...m020 },
];

export function createMigrator(sequelize: Sequelize, logger: Logger): Umzug<QueryInterface> {
  return new Umzug({
    migrations: migrations.map(({ name, up, down }) => ({
      name,
      up: (params) => up({ ...params, context: sequelize.getQueryInterface() }),
      down: (params) => down({ ...params, context: sequelize.getQueryInterface() }),
    })),
    context: sequelize.getQueryInterface(),
    storage: new SequelizeStorage({ sequelize, tableName: 'schema_migrations' }),
    logger: {
      info: (m) => logger.info(m, 'migration'),
      warn: (m) => logger.warn(m, 'migration'),
      error: (m) => logger.error(m, 'migration'),
      debug: (m) => logger.debug(m, 'migration'),
    },
  });
}

/**
 * Applies `also` (Better Auth's own tables), then our migrations, serialised across replicas
 * by an advisory lock held for the whole run. Better Auth's first: `schedule_view` reads its
 * `user` table (migration 011); its tables never read ours.
 */
export async function migrate(
  sequelize: Sequelize,
  logger: Logger,
  also?: () => Promise<void>,
): Promise<void> {
  await sequelize.transaction(async (transaction) => {
    await sequelize.query('SELECT pg_advisory_xact_lock(727001)', { transaction });
    await also?.();
    await createMigrator(sequelize, logger).up();
  });
}
