// docs/phone-webhooks.openapi.json is generated from the webhook schemas; this fails when they drift.
//   UPDATE_CONTRACT=1 npx vitest run switchboard/phone/webhook/openapi.test.ts && npx biome check --write docs/
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { OPENAPI_PATH, openApiDocument, openApiFile } from './openapi.js';

const root = join(dirname(fileURLToPath(import.meta.url)), '../../..');

describe('webhook OpenAPI document', () => {
  it('is up to date with the schemas', () => {
    const file = join(root, OPENAPI_PATH);
    if (process.env.UPDATE_CONTRACT === '1') writeFileSync(file, openApiFile());
    const committed = JSON.parse(readFileSync(file, 'utf8'));
    expect(
      committed,
      `regenerate: UPDATE_CONTRACT=1 npx vitest run switchboard/phone/webhook/openapi.test.ts`,
    ).toEqual(openApiDocument());
  });

  it('every $ref resolves', () => {
    const doc = openApiDocument();
    const refs = [...JSON.stringify(doc).matchAll(/"\$ref":"#\/components\/schemas\/(\w+)"/g)].map(
      (m) => m[1] as string,
    );
    const schemas = (doc.components as { schemas: Record<string, unknown> }).schemas;
    expect(refs.length).toBeGreaterThan(0);
    for (const r of refs) expect(schemas, r).toHaveProperty(r);
  });
});
