import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { Redis } from 'ioredis';
import type { Worker } from 'bullmq';
import { QUEUES, type QueueName } from '@todo/contracts';
import {
  Shutdown,
  closeServer,
  createLogger,
  createMailer,
  daprSubscriber,
  healthRouter,
  metricsRouter,
  type Logger,
} from '@todo/platform';
import { bullBoardRouter } from './admin/bull-board.js';
import { bridgeSubscriptions } from './bridge/subscriptions.js';
import { taskEventHandler, testRequestHandler } from './bridge/task-event-handler.js';
import { userDeletedHandler } from './bridge/user-deleted-handler.js';
import type { WorkersConfig } from './config.js';
import { withTimeout } from './errors.js';
import { DaprPublisher, DirectPublisher, type EventPublisher } from './events/event-publisher.js';
import { createMetrics } from './http/metrics.js';
import { BatchStore } from './notifications/batch-store.js';
import { DueReminders } from './reminders/due-reminders.js';
import { loggingSenders, type ChannelSenders } from './notifications/channels.js';
import { deliverProcessor } from './notifications/deliver-processor.js';
import { emailSender } from './notifications/email-sender.js';
import { testNotificationProcessor } from './notifications/test-notification-processor.js';
import {
  expectedReminderGone,
  intakeProcessor,
  reminderIntake,
} from './notifications/intake-processor.js';
import { PushSender } from './notifications/push-sender.js';
import { PushSubscriptionReader } from './notifications/push-subscriptions.js';
import { PreferencesStore } from './notifications/preferences-store.js';
import { JOB_NAMES } from './queues/job-data.js';
import { allQueues, createQueues } from './queues/queues.js';
import { startWorker, WORKER_QUEUES, type Processor } from './queues/workers.js';
import { nextInstanceProcessor } from './recurrence/next-instance-processor.js';
import { fireReminderProcessor } from './reminders/fire-reminder-processor.js';
import { ExpectedRecipientsBatch } from './reminders/expected-recipients-batch.js';
import { ReminderScheduler } from './reminders/reminder-scheduler.js';
import { ReminderState } from './reminders/reminder-state.js';
import { ScheduleReader } from './reconciler/schedule-reader.js';
import { RecipientReader } from './reminders/recipients.js';
import { ScheduleReconciler } from './reconciler/schedule-reconciler.js';

export interface WorkersOptions {
  logger?: Logger;
  /** Replaces channel senders (tests record or fail deliveries). */
  senders?: Partial<ChannelSenders>;
  /** Queues whose workers this process runs (default: all); the bridge always runs. */
  workerQueues?: QueueName[];
  /** Replaces the configured transport (tests record or fail publishes). */
  publisher?: EventPublisher;
}

/**
 * Composition root: the bridge (task events in), the queues and their workers, the publisher
 * (results out as events), Bull Board and health. Nothing here calls the api.
 */
export function createWorkers(config: WorkersConfig, options: WorkersOptions = {}) {
  const logger = options.logger ?? createLogger({ service: 'workers', level: config.LOG_LEVEL });
  // Commands fail after a few reconnect attempts instead of queueing forever while Redis is down.
  const redis = new Redis(config.REDIS_URL, { maxRetriesPerRequest: 2, lazyConnect: true });
  redis.on('error', (error) => logger.warn({ err: error }, 'redis connection error'));
  const queues = createQueues(config);
  for (const queue of allQueues(queues))
    queue.on('error', (error) => logger.warn({ err: error, queue: queue.name }, 'queue error'));
  const metrics = createMetrics(allQueues(queues));
  // Results leave as events; a failed publish fails its job, which retries (nothing waits).
  const publisher: EventPublisher =
    options.publisher ??
    (config.EVENT_TRANSPORT === 'dapr'
      ? new DaprPublisher(
          config.PUBSUB_NAME,
          `http://${config.DAPR_HOST}:${config.DAPR_HTTP_PORT}`,
          config.PUBLISH_TIMEOUT_MS,
        )
      : new DirectPublisher(
          config.DIRECT_SUBSCRIBERS,
          config.PUBSUB_NAME,
          logger,
          config.PUBLISH_TIMEOUT_MS,
          config.APP_API_TOKEN,
        ));
  // Who a reminder goes to is read from the database when it fires (ADR 376); who it is
  // expected to reach, when it is scheduled (ADR 385), with a short budget of its own: only
  // the batching depends on that read, so a slow database must not hold up the bridge.
  const recipients = config.DATABASE_URL
    ? new RecipientReader(config.DATABASE_URL, logger, {
        queryTimeoutMs: 5000,
        max: 4,
        name: 'recipients',
      })
    : null;
  const expectedRecipients = config.DATABASE_URL
    ? new RecipientReader(config.DATABASE_URL, logger, {
        queryTimeoutMs: 1000,
        max: 2,
        name: 'expected-recipients',
      })
    : null;
  if (!recipients)
    logger.warn('DATABASE_URL unset: reminders go to the task owner only, not to list members');
  const due = new DueReminders(redis, config.QUEUE_PREFIX);
  const scheduler = new ReminderScheduler(
    queues,
    new ReminderState(redis, config.QUEUE_PREFIX),
    due,
    expectedRecipients && new ExpectedRecipientsBatch(expectedRecipients),
    logger,
  );
  const reconciler =
    config.DATABASE_URL && recipients
      ? new ScheduleReconciler(
          new ScheduleReader(config.DATABASE_URL, logger, 15_000),
          queues,
          scheduler,
          recipients,
          redis,
          metrics,
          logger,
          {
            intervalMs: config.RECONCILE_INTERVAL_MS,
            lookbackMs: config.RECONCILE_LOOKBACK_MS,
            pageSize: config.RECONCILE_PAGE_SIZE,
            prefix: config.QUEUE_PREFIX,
          },
        )
      : null;
  if (!reconciler)
    logger.warn('DATABASE_URL unset: no schedule reconciler; jobs lost with Redis stay lost');
  if (config.MAIL_TRANSPORT === 'log')
    logger.warn('MAIL_TRANSPORT=log: reminder mail is written to the log, not sent');
  const batches = new BatchStore(redis, config.QUEUE_PREFIX);
  const preferences = new PreferencesStore(redis, config.QUEUE_PREFIX);
  // Web Push needs the keys and the devices (read from the database, ADR 220); without them
  // (development without `npm start`) push stays the log channel, and says so.
  const pushReader =
    config.DATABASE_URL && config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY
      ? new PushSubscriptionReader(config.DATABASE_URL, logger, 5000)
      : null;
  const push =
    pushReader && config.VAPID_PUBLIC_KEY && config.VAPID_PRIVATE_KEY
      ? new PushSender({
          subscriptions: pushReader,
          redis,
          prefix: config.QUEUE_PREFIX,
          publisher,
          vapid: {
            publicKey: config.VAPID_PUBLIC_KEY,
            privateKey: config.VAPID_PRIVATE_KEY,
            subject: config.VAPID_SUBJECT,
          },
          ttlSeconds: config.PUSH_TTL_SECONDS,
          timeoutMs: config.PUSH_TIMEOUT_MS,
          logger,
        })
      : null;
  if (!push) logger.warn('VAPID keys or DATABASE_URL unset: push notifications are log lines');
  // Reminder mail through SMTP (MAIL_TRANSPORT=smtp) or as a log line (development).
  const mailer = createMailer({
    smtpUrl: config.MAIL_TRANSPORT === 'smtp' ? config.SMTP_URL : undefined,
    from: config.MAIL_FROM,
    logger,
  });
  const senders: ChannelSenders = {
    ...loggingSenders(logger),
    email: emailSender({
      mailer,
      publicUrl: config.PUBLIC_URL,
      unsubscribeSecret: config.UNSUBSCRIBE_SECRET,
    }),
    ...(push ? { push } : {}),
    ...options.senders,
  };

  const admit = reminderIntake({
    preferences,
    batches,
    queues,
    publisher,
    logger,
    batchWindowMs: config.NOTIFICATION_BATCH_WINDOW_MS,
  });
  const intake = intakeProcessor({ admit, due, recipients, logger });
  const deliverDeps = { batches, senders, publisher, logger, metrics };
  const deliver = deliverProcessor(deliverDeps);
  const testNotification = testNotificationProcessor(deliverDeps);
  const processors: Record<QueueName, Processor> = {
    [QUEUES.recurrence]: nextInstanceProcessor({ publisher, logger, metrics }) as Processor,
    [QUEUES.reminders]: fireReminderProcessor({
      queues,
      scheduler,
      admit,
      batches,
      gone: expectedReminderGone({
        batches,
        queues,
        batchWindowMs: config.NOTIFICATION_BATCH_WINDOW_MS,
      }),
      recipients,
      logger,
      metrics,
    }) as Processor,
    // One queue, two steps: intake after quiet hours (a reminder that fires outside them is
    // taken into its batch by its fire job) and delivery of a closed batch; and the
    // Settings test, delivered at once.
    [QUEUES.notifications]: (job, token) =>
      job.name === JOB_NAMES.deliverBatch
        ? deliver(job)
        : job.name === JOB_NAMES.testNotification
          ? testNotification(job)
          : intake(job, token),
  };

  let server: Server | null = null;
  let workers: Worker[] = [];
  // No new events first; active jobs then finish (Worker.close waits for them; anything cut
  // off at the deadline is retried as stalled elsewhere); Redis closes last.
  const shutdown = new Shutdown({ name: 'workers', logger, timeoutMs: 25_000 })
    .add('http', () => closeServer(server))
    .add('reconciler', () => reconciler?.stop())
    .add('workers', async () => void (await Promise.all(workers.map((w) => w.close()))))
    .add('push reader', () => pushReader?.close())
    .add('recipient reader', () => recipients?.close())
    .add('expected recipient reader', () => expectedRecipients?.close())
    .add('queues', async () => void (await Promise.all(allQueues(queues).map((q) => q.close()))))
    .add('mailer', () => mailer.close())
    .add('redis', async () => {
      // quit() waits for pending replies; disconnect() also ends a reconnect loop (Redis down).
      await withTimeout(redis.quit(), 2000, 'redis quit').catch(() => undefined);
      redis.disconnect();
    });

  const app = express();
  app.disable('x-powered-by');
  // Ready means Redis answers: that is all the bridge needs to accept events and the queues
  // need to keep them. No other service gates it: publishes to a subscriber that is not up
  // yet just retry, so start-up order is free (ADR 120).
  app.use(
    healthRouter({
      service: 'workers',
      checks: { redis: async () => (await redis.ping()) === 'PONG' },
      draining: () => shutdown.draining,
    }),
  );
  app.use(metricsRouter(metrics.registry));
  app.use(bullBoardRouter(allQueues(queues), config.BULL_BOARD_USER, config.BULL_BOARD_PASSWORD));
  app.use(
    daprSubscriber({
      pubsubName: config.PUBSUB_NAME,
      timeoutMs: config.BRIDGE_TIMEOUT_MS,
      appToken: config.APP_API_TOKEN,
      logger,
      onAnswer: (topic, status) => metrics.bridgeEvents.inc({ topic, status }),
      subscriptions: bridgeSubscriptions({
        onTaskEvent: taskEventHandler({ queues, scheduler, preferences, logger }),
        onTestRequested: testRequestHandler({ queues }),
        onUserDeleted: userDeletedHandler({ queues, preferences, due, logger }),
      }),
    }),
  );

  return {
    app,
    queues,
    redis,
    logger,
    metrics,
    processors,
    reconciler,
    preferences,
    shutdown,
    /** Connects, starts the workers and listens on `port` (0 = any free one); resolves with it. */
    async start(port = config.PORT, host = config.HOST): Promise<number> {
      await redis.connect();
      workers = (options.workerQueues ?? WORKER_QUEUES).map((queue) =>
        startWorker(queue, processors[queue], { config, logger, metrics }),
      );
      await Promise.all(workers.map((worker) => worker.waitUntilReady()));
      reconciler?.start();
      server = app.listen(port, host);
      await once(server, 'listening');
      const bound = (server.address() as AddressInfo).port;
      logger.info({ port: bound, prefix: config.QUEUE_PREFIX }, 'workers listening');
      return bound;
    },
    /** Runs the shutdown steps (once); rejects when one failed or the drain timed out. */
    async stop(): Promise<void> {
      if ((await shutdown.run('stop')) !== 0) throw new Error('workers did not stop cleanly');
    },
  };
}

export type Workers = ReturnType<typeof createWorkers>;
