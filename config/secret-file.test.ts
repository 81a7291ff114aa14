import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { readSecretFile } from './secret-file.js';

describe('readSecretFile', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-secret-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });
  const secretIn = async (text: string) => {
    const file = join(dir, 'secret');
    await writeFile(file, text);
    return () => readSecretFile(file, 'webhook secret');
  };

  it.each([
    ['a newline', 's3cret\n'],
    ['a blank line after it', 's3cret\r\n\r\n'],
    ["Windows' CRLF", 's3cret\r\n'],
    ['a space pasted after it', 's3cret \n'],
    ['nothing', 's3cret'],
  ])('drops what trails the secret: %s', async (_what, text) => {
    expect((await secretIn(text))()).toBe('s3cret');
  });

  it('keeps spaces inside, refuses a line break inside or nothing at all, naming the file', async () => {
    expect((await secretIn('two words\n'))()).toBe('two words');
    await expect(secretIn('one\r\ntwo\n')).resolves.toThrow(
      /webhook secret .*secret: must hold the secret on one line/,
    );
    await expect(secretIn(' \r\n')).resolves.toThrow(/must hold the secret on one line/);
  });
});
