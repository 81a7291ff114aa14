import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { createLogger } from '../../log/logger.js';
import { RetainedFile } from './retained-file.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-retained-'));
});
afterEach(() => rm(dir, { recursive: true, force: true }));

const log = createLogger('test');
const message = (topic: string, text: string) => ({ topic, payload: Buffer.from(text), qos: 1 as const });

it('keeps what is retained across instances, forgets what is cleared, and starts empty without a file', async () => {
  const path = join(dir, 'broker.json');
  const first = new RetainedFile(path, log);
  expect(first.load()).toEqual([]);
  first.note(message('a/1', '{"x":1}'));
  first.note(message('a/2', '{"x":2}'));
  first.note(message('a/1', '{"x":3}'));
  first.note(message('a/2', ''));
  await first.flush();
  const second = new RetainedFile(path, log);
  expect(second.load()).toEqual([message('a/1', '{"x":3}')]);
  expect(second.has('a/1')).toBe(true);
  expect(second.has('a/2')).toBe(false);
});

it('names a damaged file and what is wrong, and changes nothing', async () => {
  const path = join(dir, 'broker.json');
  await writeFile(path, '{"v":1,"retained":[{"topic":"a"');
  expect(() => new RetainedFile(path, log).load()).toThrow(`broker state ${path}`);
  await writeFile(path, '{"v":1,"retained":[{"topic":"a","qos":1,"payload":"not base64!"}]}');
  expect(() => new RetainedFile(path, log).load()).toThrow('retained[0].payload');
  expect(await readFile(path, 'utf8')).toContain('not base64!');
});

it('counts and logs a write that fails', async () => {
  const file = new RetainedFile(join(dir, 'missing', 'broker.json'), log);
  file.note(message('a/1', 'x'));
  await file.flush();
  expect(file.failures).toBe(1);
});
