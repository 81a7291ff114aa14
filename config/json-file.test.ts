import { chmod, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import { ConfigFileError, parseJsonText, readJsonFile } from './json-file.js';

const Desk = z.strictObject({ ext: z.string().regex(/^\d+$/, '1-15 digits'), keys: z.array(z.number()) });

function refusal(f: () => unknown): ConfigFileError {
  try {
    f();
  } catch (e) {
    if (e instanceof ConfigFileError) return e;
    throw e;
  }
  throw new Error('accepted');
}

describe('readJsonFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-json-file-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('gives the checked value', async () => {
    const path = join(dir, 'desk.json');
    await writeFile(path, '{"ext": "4711", "keys": [1]}');
    expect(readJsonFile(path, Desk, 'desk file')).toEqual({ ext: '4711', keys: [1] });
  });

  it('says a missing file is missing, with its path', () => {
    const path = join(dir, 'missing.json');
    expect(refusal(() => readJsonFile(path, Desk, 'desk file')).message).toBe(
      `desk file: no such file: ${path}`,
    );
  });

  it.skipIf(process.getuid?.() === 0)('says why a file cannot be read', async () => {
    const path = join(dir, 'locked.json');
    await writeFile(path, '{}');
    await chmod(path, 0);
    expect(refusal(() => readJsonFile(path, Desk, 'desk file')).message).toBe(
      `desk file ${path}: cannot read: EACCES`,
    );
  });

  it('names every zod issue, not only the first, one per line', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(path, '{"ext": "47a", "keys": [1, "two"], "colour": "red"}');
    const error = refusal(() => readJsonFile(path, Desk, 'desk file'));
    expect(error.problems).toEqual([
      'ext: 1-15 digits',
      'keys[1]: Invalid input: expected number, received string',
      '(file): Unrecognized key: "colour"',
    ]);
    expect(error.message).toBe(`desk file ${path}:\n${error.problems.join('\n')}`);
  });
});

describe('a file that is not JSON', () => {
  const where = (text: string) => refusal(() => parseJsonText(text, Desk, 'desk.json')).message;

  it('gives the line and column where Node tells the position', () => {
    expect(where('{\n  "ext": "1",\n  "keys": [1],\n}')).toBe(
      'desk.json:4:1: not JSON: Expected double-quoted property name',
    );
    expect(where('{"ext": "1", "keys": []} x')).toBe(
      'desk.json:1:26: not JSON: Unexpected non-whitespace character after JSON',
    );
  });

  it('puts an unfinished file’s error at its end', () => {
    expect(where('{\n  "ext": ')).toBe('desk.json:2:10: not JSON: Unexpected end of JSON input');
  });

  it('drops Node’s quote of the text where it gives no position', () => {
    expect(where('{"ext": }')).toMatch(/^desk\.json: not JSON: Unexpected token '}'$/);
  });
});
