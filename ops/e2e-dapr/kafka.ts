import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { startProc, waitFor, type Proc } from './processes.js';

const run = promisify(execFile);

/** One record as `kcat -J` prints it. */
export interface KafkaRecord {
  topic: string;
  partition: number;
  offset: number;
  key: string | null;
  payload: string | null;
}

/** One row of `kafka.sh lag`. */
export interface ConsumerLag {
  group: string;
  topic: string;
  partition: number;
  lag: number | null;
}

/**
 * One Kafka 4 broker (KRaft, broker+controller) run from ops/kafka/kafka.sh, i.e. from the jars
 * Maven resolved; it can be stopped and started again on the same data (the outage test).
 */
export class KafkaBroker {
  private proc: Proc | null = null;
  readonly bootstrap: string;

  constructor(
    private readonly script: string,
    private readonly dataDir: string,
    readonly port: number,
    private readonly controllerPort: number,
  ) {
    this.bootstrap = `127.0.0.1:${port}`;
  }

  /** Formats on first use, starts the broker, waits for metadata, creates `topics` (idempotent). */
  async start(topics: Record<string, number>): Promise<number> {
    const started = Date.now();
    if (!existsSync(join(this.dataDir, 'logs', 'meta.properties')))
      await run('bash', [
        this.script,
        'format',
        this.dataDir,
        String(this.port),
        String(this.controllerPort),
      ]);
    this.proc = startProc({
      name: 'kafka',
      command: 'bash',
      args: [this.script, 'run', this.dataDir],
      logFile: join(this.dataDir, 'broker.log'),
    });
    const proc = this.proc;
    await waitFor(
      `the Kafka broker on ${this.bootstrap}`,
      async () => {
        if (!proc.running()) throw new Error(`the broker exited:\n${proc.tail()}`);
        return this.ready();
      },
      90_000,
      300,
    ).catch((error: unknown) => {
      throw new Error(`${(error as Error).message}\n--- broker log:\n${proc.tail()}`);
    });
    const missing = Object.entries(topics).filter(([name]) => !this.knownTopics.has(name));
    if (missing.length > 0)
      await run(
        'bash',
        [this.script, 'topics', String(this.port), ...missing.map(([n, p]) => `${n}:${p}`)],
        { timeout: 120_000 },
      );
    return Date.now() - started;
  }

  private knownTopics = new Set<string>();

  /** Whether the broker answers a metadata request (kcat -L); remembers the topics it lists. */
  async ready(): Promise<boolean> {
    try {
      const { stdout } = await run('kcat', ['-b', this.bootstrap, '-L', '-J', '-m', '3'], {
        timeout: 5_000,
      });
      const metadata = JSON.parse(stdout) as { topics?: { topic: string }[] };
      this.knownTopics = new Set((metadata.topics ?? []).map((t) => t.topic));
      return true;
    } catch {
      return false;
    }
  }

  /** Partition counts of the broker's topics. */
  async partitions(): Promise<Record<string, number>> {
    const { stdout } = await run('kcat', ['-b', this.bootstrap, '-L', '-J', '-m', '5'], {
      timeout: 10_000,
    });
    const metadata = JSON.parse(stdout) as { topics: { topic: string; partitions: unknown[] }[] };
    return Object.fromEntries(metadata.topics.map((t) => [t.topic, t.partitions.length]));
  }

  /** Every record of `topic` from the beginning (a fresh, group-less consumer: kcat -C -e). */
  async read(topic: string): Promise<KafkaRecord[]> {
    const { stdout } = await run(
      'kcat',
      ['-C', '-b', this.bootstrap, '-t', topic, '-o', 'beginning', '-e', '-q', '-J', '-m', '10'],
      { timeout: 30_000, maxBuffer: 256 * 1024 * 1024 },
    );
    return stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as KafkaRecord);
  }

  /**
   * Per consumer group and partition, how far its committed offset is behind the log end
   * (`kafka.sh lag`, Kafka's consumer-group tool); `null` where the group committed nothing.
   */
  async consumerLag(): Promise<ConsumerLag[]> {
    const { stdout } = await run('bash', [this.script, 'lag', String(this.port)], {
      timeout: 60_000,
    });
    const rows: ConsumerLag[] = [];
    // Columns: GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
    for (const line of stdout.split('\n')) {
      const [group, topic, partition, , , lag] = line.trim().split(/\s+/);
      if (!group || !topic || !partition || !/^\d+$/.test(partition)) continue;
      rows.push({
        group,
        topic,
        partition: Number(partition),
        lag: lag !== undefined && /^\d+$/.test(lag) ? Number(lag) : null,
      });
    }
    return rows;
  }

  async stop(): Promise<void> {
    await this.proc?.stop(30_000);
    this.proc = null;
  }

  tail(): string {
    return this.proc?.tail() ?? '(not running)';
  }
}
