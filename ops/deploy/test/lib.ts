/**
 * Shared helpers of the deploy checks. The tools come from ops/deploy/install-tools.sh, which
 * ops/deploy/test.sh runs first and whose paths arrive here as environment variables.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../../..');
export const CHART = join(ROOT, 'helm/todo-chatbot');
export const DOKS_VALUES = join(ROOT, 'helm/values-doks.yaml');
/** Kubernetes versions the manifests must validate against (DOKS's supported range). */
export const KUBE_VERSIONS = ['1.31.0', '1.33.0'];
export const RENDER_KUBE_VERSION = '1.33.0';

export type ToolName =
  'HELM_BIN' | 'ACTIONLINT_BIN' | 'DEPLOYCHECK_BIN' | 'KUBERNETES_VALIDATE_BIN';

export function tool(name: ToolName): string {
  const path = process.env[name];
  if (!path || !existsSync(path)) {
    throw new Error(`${name} is not set or missing: run these tests through ops/deploy/test.sh`);
  }
  return path;
}

export interface RunResult {
  status: number;
  stdout: string;
  stderr: string;
}

export function run(bin: string, args: string[], input?: string): RunResult {
  const r = spawnSync(bin, args, {
    cwd: ROOT,
    encoding: 'utf8',
    input,
    maxBuffer: 64 * 1024 * 1024,
  });
  if (r.error) throw r.error;
  return { status: r.status ?? 1, stdout: r.stdout, stderr: r.stderr };
}

export function readText(relativePath: string): string {
  return readFileSync(join(ROOT, relativePath), 'utf8');
}

export function exists(relativePath: string): boolean {
  return existsSync(join(ROOT, relativePath));
}

/** A writable scratch folder for rendered files. */
export const SCRATCH = mkdtempSync(join(tmpdir(), 'todo-deploy-test-'));

// ---------------------------------------------------------------- JSON from YAML

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every YAML document of a text, parsed by deploycheck (Go, yaml.v3). */
export function parseYamlDocs(text: string): JsonObject[] {
  const r = run(tool('DEPLOYCHECK_BIN'), ['yaml2json'], text);
  if (r.status !== 0) throw new Error(`YAML parse failed: ${r.stderr}`);
  const docs: unknown = JSON.parse(r.stdout);
  if (!Array.isArray(docs)) throw new Error('yaml2json did not answer an array');
  return docs.filter(isObject);
}

export function readYamlDocs(relativePath: string): JsonObject[] {
  return parseYamlDocs(readText(relativePath));
}

/** Walks a dotted path ("spec.template.spec") through objects; undefined when absent. */
export function at(value: Json | undefined, path: string): Json | undefined {
  let current: Json | undefined = value;
  for (const key of path.split('.')) {
    if (Array.isArray(current) && /^\d+$/.test(key)) current = current[Number(key)];
    else if (isObject(current)) current = current[key];
    else return undefined;
  }
  return current;
}

export function str(value: Json | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

export function arr(value: Json | undefined): Json[] {
  return Array.isArray(value) ? value : [];
}

export function obj(value: Json | undefined): JsonObject {
  return isObject(value) ? value : {};
}

// ---------------------------------------------------------------- Kubernetes objects

export function kindOf(doc: JsonObject): string {
  return str(doc.kind) ?? '';
}

export function nameOf(doc: JsonObject): string {
  return str(at(doc, 'metadata.name')) ?? '';
}

export function ofKind(docs: JsonObject[], kind: string): JsonObject[] {
  return docs.filter((d) => kindOf(d) === kind);
}

/** The one object of a kind whose name ends with the suffix (e.g. Deployment "-api"). */
export function findNamed(docs: JsonObject[], kind: string, suffix: string): JsonObject {
  const found = ofKind(docs, kind).filter((d) => nameOf(d).endsWith(suffix));
  if (found.length !== 1) {
    throw new Error(`expected one ${kind} named *${suffix}, found ${found.length}`);
  }
  return found[0] as JsonObject;
}

export function containersOf(podOwner: JsonObject): JsonObject[] {
  return arr(at(podOwner, 'spec.template.spec.containers')).filter(isObject);
}

export interface EnvVar {
  name: string;
  value?: string;
  secretRef?: { name: string; key: string };
}

export function envOf(container: JsonObject): EnvVar[] {
  return arr(container.env)
    .filter(isObject)
    .map((e) => {
      const ref = at(e, 'valueFrom.secretKeyRef');
      const out: EnvVar = { name: str(e.name) ?? '' };
      const value = e.value;
      if (value !== undefined && value !== null) out.value = String(value);
      if (isObject(ref)) out.secretRef = { name: str(ref.name) ?? '', key: str(ref.key) ?? '' };
      return out;
    });
}

// ---------------------------------------------------------------- Helm

export interface Rendered {
  text: string;
  file: string;
  docs: JsonObject[];
}

const renders = new Map<string, Rendered>();

/** helm template with the given values files and --set flags (cached per argument list). */
export function helmTemplate(
  valuesFiles: string[],
  sets: string[] = [],
  release = 'todo-chatbot',
): Rendered {
  const args = ['template', release, CHART, '--namespace', 'todo'];
  args.push('--kube-version', RENDER_KUBE_VERSION);
  for (const f of valuesFiles) args.push('-f', f);
  for (const s of sets) args.push('--set', s);
  const key = args.join('\u0000');
  const cached = renders.get(key);
  if (cached) return cached;
  const r = run(tool('HELM_BIN'), args);
  if (r.status !== 0) throw new Error(`helm template failed:\n${r.stderr}`);
  const file = join(SCRATCH, `rendered-${renders.size}.yaml`);
  writeFileSync(file, r.stdout);
  const rendered = { text: r.stdout, file, docs: parseYamlDocs(r.stdout) };
  renders.set(key, rendered);
  return rendered;
}

export const VALUE_SETS: { label: string; files: string[] }[] = [
  { label: 'default values', files: [] },
  { label: 'values-doks.yaml', files: [DOKS_VALUES] },
];
