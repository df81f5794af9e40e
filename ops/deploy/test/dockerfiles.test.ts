/** The four Dockerfiles, .dockerignore and the client's nginx configuration. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exists, readText } from './lib.js';
import { PORTS } from './services.js';

interface Instruction {
  op: string;
  args: string;
}

/** Dockerfile instructions with continuation lines joined and comments dropped. */
function parseDockerfile(text: string): Instruction[] {
  const joined = text
    .split('\n')
    .filter((l) => !/^\s*#/.test(l))
    .join('\n')
    .replace(/\\\n/g, ' ');
  return joined
    .split('\n')
    .map((l) => l.trim())
    .filter(Boolean)
    .map((l) => {
      const [op = '', ...rest] = l.split(/\s+/);
      return { op: op.toUpperCase(), args: rest.join(' ') };
    });
}

const IMAGES = ['api', 'workers', 'socket', 'client'] as const;

describe('Dockerfiles', () => {
  for (const name of IMAGES) {
    describe(`${name}/Dockerfile`, () => {
      const file = `${name}/Dockerfile`;
      const ins = parseDockerfile(readText(file));
      const stages = ins.filter((i) => i.op === 'FROM');
      const lastFrom = ins.lastIndexOf(stages[stages.length - 1] ?? { op: '', args: '' });
      const final = ins.slice(lastFrom);

      it('is multi-stage with pinned base images', () => {
        assert.ok(stages.length >= 2, `${stages.length} stages`);
        const args = new Map<string, string>();
        for (const i of ins.filter((x) => x.op === 'ARG')) {
          const [k, v] = i.args.split('=');
          if (k && v) args.set(k, v);
        }
        for (const s of stages) {
          const ref = (s.args.split(/\s+/)[0] ?? '').replace(
            /^\$\{(\w+)\}$/,
            (_m, k: string) => args.get(k) ?? '',
          );
          if (stages.some((st) => st.args.endsWith(` AS ${ref}`))) continue;
          assert.match(ref, /:\d+(\.\d+)+[\w.-]*$/, `${file}: ${s.args} pins a version`);
        }
      });

      it('runs as a non-root user with a HEALTHCHECK and an explicit command', () => {
        const users = final.filter((i) => i.op === 'USER');
        assert.ok(users.length > 0, 'USER in the final stage');
        const user = users[users.length - 1]?.args ?? '';
        assert.ok(!/^(root|0)(:|$)/.test(user), `USER ${user}`);
        assert.ok(final.some((i) => i.op === 'HEALTHCHECK' && i.args.includes('/health')));
        const port = PORTS[name];
        assert.ok(
          final.some((i) => i.op === 'EXPOSE' && i.args === String(port)),
          `EXPOSE ${port}`,
        );
        if (name !== 'client') {
          assert.ok(final.some((i) => i.op === 'CMD' && i.args.includes('dist/main.js')));
          assert.ok(final.some((i) => i.op === 'ENV' && i.args.includes('NODE_ENV=production')));
        }
      });

      it('ships production dependencies only and copies only files that exist', () => {
        if (name !== 'client') {
          const prodInstall = ins.find((i) => i.op === 'RUN' && i.args.includes('--omit=dev'));
          assert.ok(prodInstall, 'npm ci --omit=dev');
          assert.match(prodInstall.args, /--ignore-scripts/);
          // The runtime dependencies are resolved without the ops/ workspace (dev tooling).
          const depsStage = ins.slice(
            ins.lastIndexOf(stages[1] ?? prodInstall),
            ins.indexOf(prodInstall),
          );
          assert.ok(!depsStage.some((i) => i.op === 'COPY' && i.args.includes('ops/package.json')));
        }
        for (const c of ins.filter((i) => i.op === 'COPY' && !i.args.includes('--from='))) {
          const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
          for (const src of parts.slice(0, -1)) {
            assert.ok(exists(src), `${file}: COPY source ${src} exists`);
          }
        }
      });
    });
  }

  it('.dockerignore keeps node_modules, build output, git and local data out of the context', () => {
    const ignore = readText('.dockerignore').split('\n');
    for (const p of ['**/node_modules', '**/dist', '.git', '.data'])
      assert.ok(ignore.includes(p), p);
  });

  it("the client's nginx serves the SPA and proxies /api/ and /socket.io/ (WebSocket upgrade)", () => {
    const conf = readText('client/nginx/default.conf.template');
    assert.match(conf, /listen 8080;/);
    assert.match(conf, /location \/api\/ \{[^}]*proxy_pass http:\/\/todo_api;/);
    assert.match(conf, /location \/socket\.io\/ \{[^}]*proxy_set_header Upgrade \$http_upgrade;/);
    assert.match(conf, /upstream todo_socket \{\s*ip_hash;/);
    assert.match(conf, /location = \/health/);
    assert.match(conf, /try_files \$uri \$uri\/ \/index\.html;/);
  });
});
