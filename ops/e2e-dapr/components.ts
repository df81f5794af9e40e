import { mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface LoopbackAddresses {
  kafkaBrokers: string;
  redisHostPort: string;
  /** Sarama's protocol version; Kafka 4 speaks 2.1 and later only (Dapr's default is older). */
  kafkaVersion?: string;
}

/**
 * The docker-compose component files of `dapr/` with loopback addresses: the same component
 * types, metadata, scopes and Configuration, only the two host names changed and the Kafka
 * protocol `version` added (Kafka 4 refuses the older requests Dapr's default version sends).
 * Every edit is checked, so a change to the compose files fails here loudly instead of
 * silently testing something else.
 */
export function writeLoopbackResources(
  daprDir: string,
  outDir: string,
  to: LoopbackAddresses,
): { resourcesPath: string; configPath: string } {
  const resourcesPath = join(outDir, 'components');
  mkdirSync(resourcesPath, { recursive: true });
  const files = readdirSync(join(daprDir, 'components')).filter((f) => f.endsWith('.yaml'));
  if (files.length === 0) throw new Error(`no component files in ${daprDir}/components`);
  for (const file of files) {
    let text = readFileSync(join(daprDir, 'components', file), 'utf8');
    if (/type: pubsub\.kafka/.test(text)) {
      text = replaceOnce(text, 'value: redpanda:9092', `value: ${to.kafkaBrokers}`, file);
      if (/- name: version\b/.test(text))
        throw new Error(`${file} sets a Kafka version already: update components.ts`);
      text = replaceOnce(
        text,
        '    - name: authType\n',
        `    - name: version\n      value: ${to.kafkaVersion ?? '3.6.0'}\n    - name: authType\n`,
        file,
      );
    }
    if (/type: state\.redis/.test(text))
      text = replaceOnce(text, 'value: redis:6379', `value: ${to.redisHostPort}`, file);
    if (/value: .*(redpanda|redis:6379)/.test(text))
      throw new Error(`${file} still names a docker-compose host after rewriting`);
    writeFileSync(join(resourcesPath, file), text);
  }
  const configPath = join(outDir, 'config.yaml');
  writeFileSync(configPath, readFileSync(join(daprDir, 'config.yaml'), 'utf8'));
  return { resourcesPath, configPath };
}

function replaceOnce(text: string, from: string, to: string, file: string): string {
  const at = text.indexOf(from);
  if (at < 0 || text.indexOf(from, at + 1) >= 0)
    throw new Error(`${file}: expected exactly one "${from.trim()}" to rewrite`);
  return text.slice(0, at) + to + text.slice(at + from.length);
}
