import { Sequelize } from 'sequelize';
import type { Logger } from '../logger.js';

export function createSequelize(databaseUrl: string, logger: Logger): Sequelize {
  return new Sequelize(databaseUrl, {
    dialect: 'postgres',
    logging: (sql) => logger.trace({ sql }, 'sql'),
    pool: { max: 20, min: 0, idle: 10_000 },
    define: { underscored: true, timestamps: true },
  });
}
