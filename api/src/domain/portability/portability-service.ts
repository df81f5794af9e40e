import { stringify } from 'csv-stringify/sync';
import {
  EXPORT_FORMAT,
  EXPORT_VERSION,
  TASKS_CSV_COLUMNS,
  type ImportReport,
  type ImportSource,
  type Task,
  type UserExport,
} from '@todo/contracts';
import { describeRecurrence } from '@todo/contracts/recurrence-text';
import type { Logger } from '@todo/platform';
import {
  exportConversations,
  exportNotifications,
  exportTasks,
} from '../../data-access/export-reader.js';
import { listSummaries } from '../../data-access/list-repository.js';
import type { IdempotentRequest } from '../idempotency.js';
import { toNotificationDto } from '../notification-service.js';
import { listFor } from '../list-policy.js';
import { getPreferences } from '../preferences-service.js';
import { assertRuleYieldsDates } from '../recurrence-rules.js';
import type { TaskService } from '../task-service.js';
import { planIcsTodos } from './ics-todos.js';
import { assertNotTooMany, type ImportPlan } from './plan.js';
import { planTodoistCsv } from './todoist-csv.js';

/** Taking a user's data out (JSON, tasks as CSV) and bringing tasks in (ADR 291). */
export class PortabilityService {
  constructor(
    private readonly tasks: TaskService,
    private readonly logger: Logger,
  ) {}

  /** Everything of the user's, in the versioned export format (contracts' `UserExport`). */
  async exportAll(userId: string): Promise<UserExport> {
    const [preferences, tasks, conversations, notifications] = await Promise.all([
      getPreferences(userId),
      exportTasks(userId),
      exportConversations(userId),
      exportNotifications(userId),
    ]);
    return {
      format: EXPORT_FORMAT,
      version: EXPORT_VERSION,
      exportedAt: new Date().toISOString(),
      user: { id: userId },
      preferences,
      tasks,
      conversations,
      notifications: notifications.map(toNotificationDto),
    };
  }

  /** The open and completed tasks as CSV, one row each (columns: `TASKS_CSV_COLUMNS`). */
  async exportTasksCsv(userId: string): Promise<string> {
    const [tasks, { timezone }, lists] = await Promise.all([
      exportTasks(userId),
      getPreferences(userId),
      listSummaries(userId),
    ]);
    const listNames = new Map(lists.map((list) => [list.id, list.name]));
    return stringify(
      tasks.map((task) => csvRow(task, timezone, listNames.get(task.listId) ?? null)),
      {
        header: true,
        columns: [...TASKS_CSV_COLUMNS],
        // A spreadsheet reads UTF-8 (accents, emoji) only with the mark.
        bom: true,
      },
    );
  }

  /**
   * Reads the file, and unless it is a dry run creates every task it plans in ONE transaction
   * (all or none), through the task service: each is in the outbox and reaches open tabs.
   */
  async importFile(
    userId: string,
    source: ImportSource,
    body: Buffer,
    options: { dryRun: boolean; listId?: string; idempotent?: IdempotentRequest },
  ): Promise<ImportReport> {
    // A list the user may not add to is a 404 before anything is read, in a dry run too, so the
    // preview never promises what the import would refuse.
    if (options.listId) await listFor(userId, options.listId, 'write');
    const plan = await this.plan(userId, source, body);
    const report = (ids: (string | null)[]): ImportReport => ({
      source,
      dryRun: options.dryRun,
      created: plan.tasks.map(({ row, input }, i) => ({
        row,
        title: input.title,
        description: input.description ?? null,
        priority: input.priority ?? 'medium',
        tags: input.tags ?? [],
        dueDate: input.dueDate ? input.dueDate.toISOString() : null,
        recurrence: input.recurrence
          ? {
              ...(input.recurrence as Omit<typeof input.recurrence, 'endDate'>),
              interval: input.recurrence.interval ?? 1,
              anchor: input.recurrence.anchor ?? 'due',
              ...(input.recurrence.endDate
                ? { endDate: input.recurrence.endDate.toISOString() }
                : {}),
            }
          : null,
        reminderOffset: input.reminderOffset ?? null,
        id: ids[i] ?? null,
      })),
      skipped: plan.skipped.sort((a, b) => a.row - b.row),
    });
    if (options.dryRun) return report([]);
    const answer = await this.tasks.createMany(
      userId,
      plan.tasks.map((t) => (options.listId ? { ...t.input, listId: options.listId } : t.input)),
      (created) => report(created.map((task) => task.id)),
      options.idempotent,
    );
    this.logger.info(
      { userId, source, created: answer.created.length, skipped: answer.skipped.length },
      'tasks imported',
    );
    return answer;
  }

  private async plan(userId: string, source: ImportSource, body: Buffer): Promise<ImportPlan> {
    const { timezone } = await getPreferences(userId);
    const now = new Date();
    const plan =
      source === 'todoist'
        ? planTodoistCsv(body, { timeZone: timezone, now })
        : planIcsTodos(body, { timeZone: timezone });
    assertNotTooMany(plan);
    // A rule that never yields a date (an RRULE ending before it starts) is that row's problem.
    const tasks: ImportPlan['tasks'] = [];
    for (const task of plan.tasks) {
      try {
        await assertRuleYieldsDates(task.input.recurrence);
        tasks.push(task);
      } catch (error) {
        plan.skipped.push({ row: task.row, reason: (error as Error).message });
      }
    }
    return { tasks, skipped: plan.skipped };
  }
}

function csvRow(
  task: Task,
  zone: string,
  list: string | null,
): Record<string, string | number | null> {
  return {
    id: task.id,
    title: task.title,
    list,
    description: task.description,
    status: task.status,
    priority: task.priority,
    tags: task.tags.join(' '),
    dueDate: task.dueDate,
    reminderOffset: task.reminderOffset,
    // In words ("every week on Monday"), as the app shows it; empty when it does not repeat.
    recurrence: task.recurrence ? describeRecurrence(task.recurrence, zone) : null,
    completedAt: task.completedAt,
    createdAt: task.createdAt,
    updatedAt: task.updatedAt,
  };
}
