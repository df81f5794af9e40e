import type { JsonSchema } from '../../../joi-to-json-schema.js';
import type { OpenApiDocument } from './document.js';

/**
 * Renders the OpenAPI document as one self-contained HTML page, on the server: no script, no
 * external stylesheet or font (helmet's CSP allows inline styles), so it works offline.
 */

const escape = (text: unknown): string =>
  String(text)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');

/** Inline `code` spans in descriptions; everything else is escaped. */
const prose = (text: unknown): string =>
  escape(text)
    .split('\n\n')
    .map((p) => `<p>${p.replace(/`([^`]+)`/g, '<code>$1</code>')}</p>`)
    .join('');

const refName = (ref: string) => ref.replace('#/components/schemas/', '');
const anchor = (name: string) => `schema-${name}`;

const isSchema = (value: unknown): value is JsonSchema =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/** A one-line type, e.g. `string (uuid)`, `"low" | "high"`, `array of Task`. */
function typeLabel(schema: JsonSchema): string {
  if (typeof schema.$ref === 'string') {
    const name = refName(schema.$ref);
    return `<a href="#${anchor(name)}">${escape(name)}</a>`;
  }
  if (Array.isArray(schema.enum))
    return schema.enum.map((v) => escape(JSON.stringify(v))).join(' | ');
  if ('const' in schema) return escape(JSON.stringify(schema.const));
  for (const key of ['anyOf', 'oneOf'] as const) {
    const options = schema[key];
    if (Array.isArray(options)) return options.filter(isSchema).map(typeLabel).join(' | ');
  }
  const types = Array.isArray(schema.type) ? schema.type : schema.type ? [schema.type] : [];
  const label = types
    .map((type) => {
      if (type === 'array' && isSchema(schema.items)) return `array of ${typeLabel(schema.items)}`;
      if (type === 'string' && typeof schema.format === 'string')
        return `string (${escape(schema.format)})`;
      return escape(type);
    })
    .join(' | ');
  return label || 'any';
}

/** Constraints worth showing next to the type. */
function constraints(schema: JsonSchema): string[] {
  const out: string[] = [];
  const show = (label: string, key: string) => {
    if (schema[key] !== undefined) out.push(`${label} ${escape(JSON.stringify(schema[key]))}`);
  };
  show('min length', 'minLength');
  show('max length', 'maxLength');
  show('≥', 'minimum');
  show('≤', 'maximum');
  show('min items', 'minItems');
  show('max items', 'maxItems');
  if (schema.uniqueItems) out.push('unique items');
  if (typeof schema.pattern === 'string')
    out.push(`pattern <code>${escape(schema.pattern)}</code>`);
  show('default', 'default');
  if (isSchema(schema.items)) {
    const inner = constraints(schema.items).filter((c) => !c.startsWith('default'));
    if (inner.length) out.push(`each: ${inner.join(', ')}`);
  }
  return out;
}

/** A schema as a field list (objects) or a type line, with its object-level rules. */
function renderSchema(schema: JsonSchema): string {
  const parts: string[] = [];
  if (schema.properties) {
    const required = new Set(schema.required ?? []);
    const rows = Object.entries(schema.properties).map(([name, property]) => {
      const notes = constraints(property);
      return `<tr><td><code>${escape(name)}</code>${
        required.has(name) ? ' <span class="req">required</span>' : ''
      }</td><td>${typeLabel(property)}${
        notes.length ? `<div class="muted">${notes.join(' · ')}</div>` : ''
      }</td><td>${property.description ? escape(property.description) : ''}</td></tr>`;
    });
    parts.push(
      `<table><thead><tr><th>field</th><th>type</th><th>notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
    const extra: string[] = [];
    if (schema.additionalProperties === false) extra.push('no other fields are accepted');
    if (typeof schema.minProperties === 'number')
      extra.push(`at least ${schema.minProperties} field(s)`);
    if (extra.length) parts.push(`<p class="muted">${escape(extra.join('; '))}.</p>`);
  } else {
    const notes = constraints(schema);
    parts.push(`<p>${typeLabel(schema)}${notes.length ? ` · ${notes.join(' · ')}` : ''}</p>`);
  }
  return parts.join('');
}

function renderOperation(
  method: string,
  path: string,
  op: Record<string, unknown>,
  doc: OpenApiDocument,
): string {
  const id = String(op.operationId);
  const parts: string[] = [
    `<details class="op" id="op-${escape(id)}"><summary><span class="method ${escape(method)}">${escape(
      method.toUpperCase(),
    )}</span> <code>${escape(path)}</code> <span class="sum">${escape(op.summary)}</span> <span class="muted">${escape(id)}</span></summary>`,
    prose(op.description),
  ];
  const security = op.security as Record<string, string[]>[] | undefined;
  parts.push(
    `<p class="muted">auth: ${
      security === undefined
        ? 'bearer JWT'
        : security.length
          ? escape(security.map((s) => Object.keys(s).join(', ')).join(' or '))
          : 'none'
    }</p>`,
  );
  const params = (op.parameters ?? []) as {
    name: string;
    in: string;
    required: boolean;
    description?: string;
    schema: JsonSchema;
  }[];
  if (params.length) {
    const rows = params.map((p) => {
      const notes = constraints(p.schema);
      return `<tr><td><code>${escape(p.name)}</code>${p.required ? ' <span class="req">required</span>' : ''}</td><td>${escape(
        p.in,
      )}</td><td>${typeLabel(p.schema)}${notes.length ? `<div class="muted">${notes.join(' · ')}</div>` : ''}</td><td>${escape(
        p.description ?? '',
      )}</td></tr>`;
    });
    parts.push(
      `<h4>Parameters</h4><table><thead><tr><th>name</th><th>in</th><th>type</th><th>notes</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
    );
  }
  const body = op.requestBody as
    | {
        content: Record<
          string,
          { schema: JsonSchema; examples?: Record<string, { summary: string; value: unknown }> }
        >;
      }
    | undefined;
  const media = body?.content['application/json'];
  if (media) {
    const name = typeof media.schema.$ref === 'string' ? refName(media.schema.$ref) : '';
    const schema = doc.components.schemas[name] ?? media.schema;
    parts.push(`<h4>Request body (application/json): ${typeLabel(media.schema)}</h4>`);
    if (schema.description) parts.push(`<p>${escape(schema.description)}</p>`);
    parts.push(renderSchema(schema));
    for (const example of Object.values(media.examples ?? {}))
      parts.push(
        `<div class="example"><div class="muted">example: ${escape(example.summary)}</div><pre>${escape(
          JSON.stringify(example.value, null, 2),
        )}</pre></div>`,
      );
  }
  const responses = op.responses as Record<string, Record<string, unknown>>;
  const rows = Object.entries(responses).map(([status, response]) => {
    const resolved =
      typeof response.$ref === 'string'
        ? ((doc.components.responses[String(response.$ref).split('/').pop() ?? ''] ?? {}) as Record<
            string,
            unknown
          >)
        : response;
    const content = resolved.content as Record<string, { schema: JsonSchema }> | undefined;
    const schema = content?.['application/json']?.schema;
    return `<tr><td>${escape(status)}</td><td>${schema ? typeLabel(schema) : '—'}</td><td>${escape(
      resolved.description ?? '',
    )}</td></tr>`;
  });
  parts.push(
    `<h4>Responses</h4><table><thead><tr><th>status</th><th>body</th><th>meaning</th></tr></thead><tbody>${rows.join('')}</tbody></table>`,
  );
  parts.push('</details>');
  return parts.join('\n');
}

const STYLE = `
body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:0;color:#1f2328;background:#fff}
main{max-width:1100px;margin:0 auto;padding:24px}
h1{margin:0 0 4px}h2{margin-top:32px;border-bottom:1px solid #d0d7de;padding-bottom:4px}h4{margin:14px 0 6px}
code,pre{font:13px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,monospace}
pre{background:#f6f8fa;padding:10px;border-radius:6px;overflow:auto;margin:4px 0}
table{border-collapse:collapse;width:100%;margin:4px 0}th,td{border:1px solid #d0d7de;padding:4px 8px;text-align:left;vertical-align:top}
th{background:#f6f8fa;font-weight:600}
.op{border:1px solid #d0d7de;border-radius:6px;margin:8px 0;padding:0 12px}
.op[open]{padding-bottom:12px}.op>summary{cursor:pointer;padding:8px 0}
.method{display:inline-block;min-width:58px;text-align:center;border-radius:4px;color:#fff;font:600 12px/20px ui-monospace,monospace}
.get{background:#0969da}.post{background:#1a7f37}.put{background:#9a6700}.patch{background:#8250df}.delete{background:#cf222e}
.sum{font-weight:600;margin-left:6px}.muted{color:#59636e;font-size:13px}.req{color:#cf222e;font-size:12px}
nav a{margin-right:12px}
`;

/** The whole page. */
export function renderDocsPage(doc: OpenApiDocument, specUrl: string): string {
  const info = doc.info as { title: string; version: string; description?: string };
  const byTag = new Map<string, string[]>();
  for (const [path, methods] of Object.entries(doc.paths)) {
    for (const [method, op] of Object.entries(methods)) {
      const tag = (op.tags as string[] | undefined)?.[0] ?? 'other';
      const list = byTag.get(tag) ?? [];
      list.push(renderOperation(method, path, op, doc));
      byTag.set(tag, list);
    }
  }
  const sections = doc.tags
    .filter((tag) => byTag.has(tag.name))
    .map(
      (tag) =>
        `<section id="tag-${escape(tag.name)}"><h2>${escape(tag.name)}</h2><p class="muted">${escape(
          tag.description,
        )}</p>${(byTag.get(tag.name) ?? []).join('\n')}</section>`,
    );
  const schemas = Object.entries(doc.components.schemas).map(
    ([name, schema]) =>
      `<section id="${anchor(name)}"><h3>${escape(name)}</h3>${
        schema.description ? `<p>${escape(schema.description)}</p>` : ''
      }${renderSchema(schema)}</section>`,
  );
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escape(info.title)} — API reference</title><style>${STYLE}</style></head>
<body><main>
<h1>${escape(info.title)}</h1><p class="muted">OpenAPI ${escape(doc.openapi)} · version ${escape(
    info.version,
  )} · machine-readable: <a href="${escape(specUrl)}">${escape(specUrl)}</a></p>
${prose(info.description ?? '')}
<nav>${doc.tags
    .filter((tag) => byTag.has(tag.name))
    .map((tag) => `<a href="#tag-${escape(tag.name)}">${escape(tag.name)}</a>`)
    .join('')}<a href="#schemas">schemas</a></nav>
${sections.join('\n')}
<h2 id="schemas">Schemas</h2>
${schemas.join('\n')}
</main></body></html>
`;
}
