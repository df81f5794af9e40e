import type { Sequelize } from 'sequelize';
import type { Logger } from '@todo/platform';
import { eraseUserRows } from '../../data-access/account-erasure.js';
import { announceAddress } from '../preferences-service.js';

/** What happens to an account beyond Better Auth's own rows: its address and its deletion. */
export class AccountService {
  constructor(
    private readonly sequelize: Sequelize,
    private readonly logger: Logger,
  ) {}

  /** The address was verified or switched: reminder mail follows it (ADR 260). */
  async addressChanged(userId: string): Promise<void> {
    await announceAddress(userId);
    this.logger.info({ userId }, 'account address verified or changed');
  }

  /**
   * The account is being deleted (its password was checked): erases its rows and tells the
   * workers, before Better Auth deletes the user, its sessions and credentials (ADR 262). A
   * failure here aborts the deletion: nothing half-deleted is left signed in.
   */
  async erase(userId: string): Promise<void> {
    const tables = await eraseUserRows(this.sequelize, userId);
    this.logger.info({ userId, tables: tables.length }, 'account data erased');
  }
}
