import { randomBytes } from 'node:crypto';
import { createDatabase } from '../infra/postgres.js';

/**
 * Test infrastructure comes from the environment `npm test` prepares:
 * TEST_POSTGRES_ADMIN_URL (a server where tests may create databases) and REDIS_URL.
 * Run a single test file with the same variables pointed at your own servers.
 */
export function testInfra(): { postgresAdminUrl: string; redisUrl: string } {
  const postgresAdminUrl = process.env.TEST_POSTGRES_ADMIN_URL;
  const redisUrl = process.env.REDIS_URL;
  if (!postgresAdminUrl || !redisUrl) {
    throw new Error(
      'TEST_POSTGRES_ADMIN_URL and REDIS_URL must be set: run the tests through `npm test`',
    );
  }
  return { postgresAdminUrl, redisUrl };
}

/** A fresh, empty database for one test file, so files can run side by side. */
export async function createTestDatabase(prefix = 't'): Promise<string> {
  const name =
    `${prefix}_${Date.now().toString(36)}_${randomBytes(3).toString('hex')}`.toLowerCase();
  return createDatabase(testInfra().postgresAdminUrl, name);
}
