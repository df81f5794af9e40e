/**
 * The topic-creation scripts (compose's redpanda-init, the Helm topics hook Job), run with bash
 * against a stand-in `rpk` that records its calls: missing topics are created with the contract
 * partition counts, existing ones are left alone, and the scripts pass shellcheck.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TOPIC_PARTITIONS } from '@todo/contracts';
import {
  arr,
  at,
  containersOf,
  DOKS_VALUES,
  findNamed,
  helmTemplate,
  isObject,
  obj,
  run,
  SCRATCH,
  tool,
} from './lib.js';

const FAKE_RPK = `#!/usr/bin/env bash
echo "$*" >> "$RPK_LOG"
if [ "$1 $2" = "topic describe" ]; then
  case ",$RPK_EXISTING," in *",$3,"*) exit 0 ;; *) exit 1 ;; esac
fi
exit 0
`;

function runScript(label: string, script: string, existing: string[]): string[] {
  const dir = join(SCRATCH, `rpk-${label}-${existing.length}`);
  mkdirSync(join(dir, 'bin'), { recursive: true });
  writeFileSync(join(dir, 'bin/rpk'), FAKE_RPK);
  chmodSync(join(dir, 'bin/rpk'), 0o755);
  const log = join(dir, 'calls.log');
  writeFileSync(log, '');
  const r = run('env', [
    `PATH=${join(dir, 'bin')}:${process.env.PATH ?? ''}`,
    `RPK_LOG=${log}`,
    `RPK_EXISTING=${existing.join(',')}`,
    'bash',
    '-ec',
    script,
  ]);
  assert.equal(r.status, 0, r.stderr);
  return readFileSync(log, 'utf8').split('\n').filter(Boolean);
}

function creates(calls: string[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of calls) {
    const m = /^topic create (\S+) --partitions (\d+) --replicas (\d+)$/.exec(c);
    if (m) out.set(m[1] ?? '', m[2] ?? '');
  }
  return out;
}

function composeScript(): string {
  const r = run(tool('DEPLOYCHECK_BIN'), ['compose', 'docker-compose.yaml']);
  assert.equal(r.status, 0, r.stderr);
  const project: unknown = JSON.parse(r.stdout);
  assert.ok(isObject(project));
  const command = arr(at(obj(project.services), 'redpanda-init.command')).map(String);
  assert.equal(command.length, 1);
  return command[0] ?? '';
}

function helmScript(): string {
  const job = findNamed(helmTemplate([DOKS_VALUES]).docs, 'Job', '-topics');
  return String(arr(at(containersOf(job)[0], 'args'))[0]);
}

const expected = new Map(Object.entries(TOPIC_PARTITIONS).map(([t, p]) => [t, String(p)]));

for (const [label, script] of [
  ['compose redpanda-init', composeScript],
  ['Helm topics Job', helmScript],
] as const) {
  describe(`${label} script`, () => {
    it('creates every contract topic with its partition count on an empty broker', () => {
      assert.deepEqual(creates(runScript(label, script(), [])), expected);
    });

    it('leaves existing topics alone (idempotent re-runs)', () => {
      const existing = Object.keys(TOPIC_PARTITIONS).slice(0, 2);
      const made = creates(runScript(label, script(), existing));
      // Helm ranges over its map in key order, compose in the contract's: compare as sets.
      assert.deepEqual([...made.keys()].sort(), Object.keys(TOPIC_PARTITIONS).slice(2).sort());
    });

    it('passes shellcheck', (t) => {
      const shellcheck = process.env.SHELLCHECK_BIN;
      if (!shellcheck) {
        t.skip('no shellcheck');
        return;
      }
      const file = join(SCRATCH, `${label.replace(/\W+/g, '-')}.sh`);
      writeFileSync(file, `#!/usr/bin/env bash\nset -e\n${script()}\n`);
      const r = run(shellcheck, ['-s', 'bash', file]);
      assert.equal(r.status, 0, r.stdout);
    });
  });
}
