/** The one Dockerfile (SERVICE build argument picks the image), .dockerignore and nginx. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { exists, readText } from './lib.js';
import { PORTS, SERVICE_NAMES } from './services.js';

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

/** One build stage: its name, what it starts from, and its instructions after FROM. */
interface Stage {
  name: string;
  from: string;
  ins: Instruction[];
}

function stagesOf(ins: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  for (const i of ins) {
    if (i.op === 'FROM') {
      const [from = '', , name = `#${stages.length}`] = i.args.split(/\s+/);
      stages.push({ name, from, ins: [] });
    } else stages.at(-1)?.ins.push(i);
  }
  return stages;
}

/** Global build arguments (before the first FROM) with their defaults. */
function globalArgs(ins: Instruction[]): Map<string, string> {
  const args = new Map<string, string>();
  for (const i of ins) {
    if (i.op === 'FROM') break;
    const [k, v] = i.args.split('=');
    if (i.op === 'ARG' && k) args.set(k, v ?? '');
  }
  return args;
}

const expand = (text: string, vars: Map<string, string>) =>
  text.replace(/\$\{(\w+)\}|\$(\w+)/g, (m, a?: string, b?: string) => vars.get(a ?? b ?? '') ?? m);

/**
 * The image a build with these arguments produces, as the builder resolves it: the last
 * stage, then the stage it starts FROM, and so on down to a base image. Instructions come
 * base first, with build arguments substituted.
 */
function resolveImage(text: string, buildArgs: Record<string, string>) {
  const ins = parseDockerfile(text);
  const vars = new Map([...globalArgs(ins), ...Object.entries(buildArgs)]);
  const stages = stagesOf(ins);
  const chain: Stage[] = [];
  let stage = stages.at(-1);
  while (stage) {
    chain.unshift(stage);
    const from = expand(stage.from, vars);
    stage = stages.find((s) => s.name === from);
  }
  const base = expand(chain[0]?.from ?? '', vars);
  const flat = chain.flatMap((s) => s.ins.map((i) => ({ ...i, args: expand(i.args, vars) })));
  return { stages, chain: chain.map((s) => s.name), base, ins: flat, vars };
}

function checkRuntime(file: string, name: keyof typeof PORTS, final: Instruction[]) {
  const users = final.filter((i) => i.op === 'USER');
  assert.ok(users.length > 0, `${file}: USER in the image`);
  const user = users[users.length - 1]?.args ?? '';
  assert.ok(!/^(root|0)(:|$)/.test(user), `USER ${user}`);
  assert.ok(final.some((i) => i.op === 'HEALTHCHECK' && i.args.includes('/health')));
  const port = PORTS[name];
  assert.ok(
    final.some((i) => i.op === 'EXPOSE' && i.args === String(port)),
    `${file} (${name}): EXPOSE ${port}`,
  );
}

function checkPinned(file: string, text: string) {
  const ins = parseDockerfile(text);
  const args = globalArgs(ins);
  const stages = stagesOf(ins);
  for (const s of stages) {
    const ref = expand(s.from, args);
    if (stages.some((st) => st.name === ref)) continue;
    assert.match(ref, /:\d+(\.\d+)+[\w.-]*$/, `${file}: FROM ${s.from} pins a version`);
  }
}

function checkCopiesExist(file: string, ins: Instruction[]) {
  for (const c of ins.filter((i) => i.op === 'COPY' && !i.args.includes('--from='))) {
    const parts = c.args.split(/\s+/).filter((p) => !p.startsWith('--'));
    for (const src of parts.slice(0, -1)) {
      assert.ok(exists(src), `${file}: COPY source ${src} exists`);
    }
  }
}

describe('Dockerfile (one recipe for every image, chosen by SERVICE)', () => {
  const file = 'Dockerfile';
  const text = readText(file);

  it('is multi-stage with pinned base images, and the per-service Dockerfiles are gone', () => {
    checkPinned(file, text);
    for (const name of [...SERVICE_NAMES, 'client'])
      assert.ok(!exists(`${name}/Dockerfile`), `${name}/Dockerfile`);
  });

  it('stops a build with an unknown SERVICE with a message naming the choices', () => {
    const guard = parseDockerfile(text).find((i) => i.op === 'RUN' && i.args.includes('case'));
    assert.ok(guard, 'a RUN guard on SERVICE');
    assert.match(guard.args, /api\|workers\|socket\|client\)/);
    assert.match(guard.args, /exit 1/);
  });

  for (const name of SERVICE_NAMES) {
    describe(`--build-arg SERVICE=${name}`, () => {
      const image = resolveImage(text, { SERVICE: name });

      it(`builds and runs @todo/${name} from its own stage`, () => {
        assert.ok(image.chain.includes(`service-${name}`), image.chain.join(' → '));
        assert.match(image.base, /^node:\d+(\.\d+)+/);
        const builds = image.stages
          .flatMap((s) => s.ins)
          .filter((i) => i.op === 'RUN')
          .map((i) => expand(i.args, image.vars));
        assert.ok(builds.some((b) => b.includes(`npm run build -w "@todo/${name}"`)));
        assert.ok(
          image.ins.some(
            (i) => i.op === 'COPY' && i.args.endsWith(`/app/${name}/dist ${name}/dist`),
          ),
          `copies ${name}/dist`,
        );
        assert.ok(image.ins.some((i) => i.op === 'WORKDIR' && i.args === `/app/${name}`));
      });

      it('runs as a non-root user with a HEALTHCHECK, its port and an explicit command', () => {
        checkRuntime(file, name, image.ins);
        assert.ok(image.ins.some((i) => i.op === 'CMD' && i.args.includes('dist/main.js')));
        assert.ok(image.ins.some((i) => i.op === 'ENV' && i.args.includes('NODE_ENV=production')));
        assert.ok(
          image.ins.some((i) => i.op === 'ENV' && i.args.includes(`PORT=${PORTS[name]}`)),
          `PORT=${PORTS[name]}`,
        );
      });
    });
  }

  it('ships production dependencies only and copies only files that exist', () => {
    const ins = parseDockerfile(text);
    const deps = stagesOf(ins).find((s) => s.name === 'deps');
    assert.ok(deps, 'a deps stage');
    const prodInstall = deps.ins.find((i) => i.op === 'RUN' && i.args.includes('--omit=dev'));
    assert.ok(prodInstall, 'npm ci --omit=dev');
    assert.match(prodInstall.args, /--ignore-scripts/);
    // The runtime dependencies are resolved without the ops/ workspace (dev tooling).
    assert.ok(!deps.ins.some((i) => i.op === 'COPY' && i.args.includes('ops/package.json')));
    for (const name of SERVICE_NAMES) {
      const vars = new Map([['SERVICE', name]]);
      checkCopiesExist(
        file,
        ins.map((i) => ({ ...i, args: expand(i.args, vars) })),
      );
    }
  });

  it('copies every workspace manifest before npm ci, so the lockfile resolves', () => {
    const manifests = parseDockerfile(text)
      .filter((i) => i.op === 'COPY' && !i.args.includes('--from='))
      .map((i) => i.args.split(/\s+/)[0] ?? '');
    const workspaces = (JSON.parse(readText('package.json')) as { workspaces: string[] })
      .workspaces;
    for (const ws of workspaces) assert.ok(manifests.includes(`${ws}/package.json`), ws);
  });
});

describe('Dockerfile --build-arg SERVICE=client', () => {
  const file = 'Dockerfile';
  const image = resolveImage(readText(file), { SERVICE: 'client' });
  const clientBuild = image.stages.find((s) => s.name === 'client-build');

  it('serves the Angular build from nginx as a non-root user with a HEALTHCHECK', () => {
    assert.ok(image.chain.includes('service-client'), image.chain.join(' → '));
    assert.match(image.base, /nginx/);
    checkRuntime(file, 'client', image.ins);
    assert.ok(
      image.ins.some((i) => i.op === 'COPY' && i.args.includes('--from=client-build')),
      'copies the build output',
    );
  });

  it('builds with every workspace the client compiles from source (its tsconfig paths)', () => {
    assert.ok(clientBuild, 'a client-build stage');
    const tsconfig = readText('client/tsconfig.json');
    const sources = new Set([...tsconfig.matchAll(/"\.\.\/(\w+)\/src\//g)].map((m) => m[1] ?? ''));
    assert.ok(sources.size > 0, 'the client compiles shared workspaces from source');
    const install = clientBuild.ins.find((i) => i.op === 'RUN' && i.args.startsWith('npm ci'));
    for (const ws of sources) {
      assert.ok(
        clientBuild.ins.some((i) => i.op === 'COPY' && i.args === `${ws}/ ${ws}/`),
        `copies ${ws}/`,
      );
      assert.ok(install?.args.includes(`--workspace @todo/${ws}`), `installs @todo/${ws}`);
    }
  });
});

describe('build context', () => {
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
