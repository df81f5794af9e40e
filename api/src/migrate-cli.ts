import pg from 'pg';
import { authOptions, migrateAuth } from './entry-points/http/auth/better-auth.js';
import { loadConfig } from './config.js';
import { createLogger } from '@todo/platform';
import { initModels } from './data-access/models/index.js';
import { migrate } from './data-access/migrate.js';
import { createSequelize } from './data-access/sequelize.js';

/** `npm run migrate`: applies every pending migration and exits (Helm's pre-upgrade Job runs this). */
const config = loadConfig();
const logger = createLogger({ service: 'api', level: config.LOG_LEVEL });
const sequelize = createSequelize(config.DATABASE_URL, logger);
initModels(sequelize);
const pool = new pg.Pool({ connectionString: config.DATABASE_URL, max: 2 });
try {
  await migrate(sequelize, logger, () => migrateAuth(authOptions(config, pool)));
  logger.info('migrations applied');
} catch (error) {
  logger.fatal({ err: error }, 'migration failed');
  process.exitCode = 1;
} finally {
  await sequelize.close();
  await pool.end();
}
