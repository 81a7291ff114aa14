// Keeps the published contract (docs/asyncapi.json, docs/schemas/*.json) equal to what the schemas
// generate. After changing a schema, regenerate, format and commit the files:
//   UPDATE_CONTRACT=1 npx vitest run protocol/contract.test.ts && npx biome check --write docs/asyncapi.json docs/schemas
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { bodies, presence } from '../test/support/arbitraries.js';
import { decode, encode } from './codec.js';
import { asyncApiDocument, contractFiles, EXAMPLES, jsonSchemaFor } from './contract.js';
import { KINDS } from './topics.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const update = process.env.UPDATE_CONTRACT === '1';

type Schema = { [key: string]: unknown };

/**
 * The draft-07 keywords the generated schemas use, checked the JSON Schema way (lengths in code points,
 * unanchored ECMA patterns). No validator package is installed; this is enough to catch a schema that
 * refuses a valid message or forgets a restated refinement.
 */
function valid(schema: Schema, value: unknown): boolean {
  const s = schema;
  const isObject = (v: unknown): v is Record<string, unknown> =>
    typeof v === 'object' && v !== null && !Array.isArray(v);
  if ('const' in s && JSON.stringify(s.const) !== JSON.stringify(value)) return false;
  if (Array.isArray(s.enum) && !s.enum.includes(value)) return false;
  if (s.type !== undefined) {
    const types = Array.isArray(s.type) ? s.type : [s.type];
    const ok = types.some(
      (t) =>
        (t === 'null' && value === null) ||
        (t === 'string' && typeof value === 'string') ||
        (t === 'number' && typeof value === 'number') ||
        (t === 'integer' && Number.isInteger(value)) ||
        (t === 'boolean' && typeof value === 'boolean') ||
        (t === 'array' && Array.isArray(value)) ||
        (t === 'object' && isObject(value)),
    );
    if (!ok) return false;
  }
  if (typeof value === 'string') {
    const length = [...value].length;
    if (typeof s.minLength === 'number' && length < s.minLength) return false;
    if (typeof s.maxLength === 'number' && length > s.maxLength) return false;
    if (typeof s.pattern === 'string' && !new RegExp(s.pattern, 'u').test(value)) return false;
  }
  if (typeof value === 'number') {
    if (typeof s.minimum === 'number' && value < s.minimum) return false;
    if (typeof s.maximum === 'number' && value > s.maximum) return false;
  }
  if (Array.isArray(value)) {
    if (typeof s.minItems === 'number' && value.length < s.minItems) return false;
    if (typeof s.maxItems === 'number' && value.length > s.maxItems) return false;
    if (isObject(s.items) && !value.every((v) => valid(s.items as Schema, v))) return false;
  }
  if (isObject(value)) {
    if (Array.isArray(s.required) && !s.required.every((k) => k in value)) return false;
    const props = (s.properties ?? {}) as Record<string, Schema>;
    for (const [k, sub] of Object.entries(props)) if (k in value && !valid(sub, value[k])) return false;
  }
  const subs = (k: string) => (Array.isArray(s[k]) ? (s[k] as Schema[]) : []);
  if (!subs('allOf').every((sub) => valid(sub, value))) return false;
  if (s.anyOf && !subs('anyOf').some((sub) => valid(sub, value))) return false;
  if (s.oneOf && subs('oneOf').filter((sub) => valid(sub, value)).length !== 1) return false;
  if (isObject(s.if)) {
    const branch = valid(s.if, value) ? s.then : s.else;
    if (isObject(branch) && !valid(branch, value)) return false;
  }
  return true;
}

describe('published contract', () => {
  it.each(Object.keys(contractFiles()))('%s is up to date', async (path) => {
    const fresh = contractFiles()[path] as string;
    const file = join(root, path);
    if (update) {
      await mkdir(dirname(file), { recursive: true });
      writeFileSync(file, fresh);
    }
    let committed: unknown;
    try {
      committed = JSON.parse(readFileSync(file, 'utf8'));
    } catch {}
    // Compared as JSON values, so the formatter (Biome) may lay the committed files out as it likes.
    expect(committed, `${path} is stale: see the top of protocol/contract.test.ts`).toStrictEqual(
      JSON.parse(fresh),
    );
  });

  it.each(KINDS)('the %s example encodes and decodes unchanged', (kind) => {
    const e = encode(EXAMPLES[kind]);
    expect(decode(e.topic, e.payload)).toEqual({ ok: true, message: EXAMPLES[kind] });
  });

  it.each(KINDS)('the %s JSON Schema accepts every valid body', (kind) => {
    const schema = jsonSchemaFor(kind);
    expect(valid(schema, EXAMPLES[kind].body)).toBe(true);
    fc.assert(
      fc.property(bodies[kind], (body) => {
        expect(valid(schema, body)).toBe(true);
      }),
      { numRuns: 100 },
    );
  });

  it('the presence JSON Schema restates the refinements zod enforces in code', () => {
    const schema = jsonSchemaFor('presence');
    fc.assert(
      fc.property(
        presence,
        fc.constantFrom(
          { status: 'available', reason: 'lunch' },
          { status: 'available', until: '2026-11-23T11:45:00.000Z' },
          { status: 'away', reason: null },
          { until: '2026-11-23T11:45:01.000Z' },
          { until: '2026-11-23T11:45:00.001Z' },
          { v: 2 },
        ),
        (p, change) => {
          const bad = { ...p, ...change };
          // Guard the test itself: each change must really be invalid for zod.
          expect(encode.bind(null, { kind: 'presence', org: 'o', ext: '1', body: bad } as never)).toThrow();
          expect(valid(schema, bad)).toBe(false);
        },
      ),
    );
  });

  it('every example in docs/protocol.md decodes on its topic, and every kind has one', () => {
    const doc = readFileSync(join(root, 'docs/protocol.md'), 'utf8');
    const examples = [...doc.matchAll(/Example, on `([^`]+)`:\n\n```json\n([\s\S]*?)\n```/g)];
    const kinds = examples.map(([, topic, body]) => {
      const r = decode(topic as string, new TextEncoder().encode(body));
      expect(r, `${topic}: ${r.ok ? '' : r.detail}`).toMatchObject({ ok: true });
      return r.ok ? r.message.kind : undefined;
    });
    expect(new Set(kinds)).toEqual(new Set(KINDS));
  });

  it('the AsyncAPI document is consistent: refs resolve, channel parameters match their addresses', () => {
    const doc = asyncApiDocument();
    const resolve = (ref: string) =>
      ref
        .replace(/^#\//, '')
        .split('/')
        .reduce<unknown>((node, key) => (node as Record<string, unknown> | undefined)?.[key], doc);
    const refs: string[] = [];
    JSON.stringify(doc, (key, value) => {
      if (key === '$ref') refs.push(value);
      return value;
    });
    expect(refs.length).toBeGreaterThan(KINDS.length * 3);
    for (const ref of refs) expect(resolve(ref), ref).toBeDefined();

    const channels = doc.channels as Record<string, { address: string; parameters: Record<string, unknown> }>;
    expect(Object.keys(channels).sort()).toEqual([...KINDS].sort());
    for (const channel of Object.values(channels)) {
      const inAddress = [...channel.address.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      expect(Object.keys(channel.parameters).sort()).toEqual(inAddress.sort());
      expect(channel.address).toMatch(/^hanvisa\/v1\/\{org\}\//);
      expect(channel.address).not.toMatch(/[+#]/);
    }
    const operations = doc.operations as Record<
      string,
      { bindings: { mqtt: { qos: number; retain: boolean } } }
    >;
    expect(operations['publish-presence']?.bindings.mqtt).toMatchObject({ qos: 1, retain: true });
    expect(operations['publish-mwi-handled']?.bindings.mqtt).toMatchObject({ qos: 1, retain: false });
  });
});
