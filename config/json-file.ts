// Every hand-written JSON file hanvisa reads (the desk agent's config, the users file, organisation
// settings, the phone and calendar bridges' files, key layouts) goes through here, so each one fails
// the same way: the file named, the place in it, and every problem at once, each on a line of its own.
import type { z } from 'zod';
import { issueLines } from '../protocol/issues.js';
import { ConfigFileError } from './config-file-error.js';
import { readTextFile } from './text-file.js';

export { ConfigFileError };

// errors name fields as people[2].ext, and a problem with the whole value as (file)
const FILE_ISSUES = { root: '(file)', indexes: 'brackets' } as const;

/** The file checked against `schema`; `what` says which file it is (`agent config`, `users file`). */
export function readJsonFile<S extends z.ZodType>(path: string, schema: S, what: string): z.output<S> {
  const text = readTextFile(path, what);
  return parseJsonText(text, schema, `${what} ${path}`);
}

/** JSON text checked against `schema`; a syntax error says its line and column where Node tells. */
export function parseJsonText<S extends z.ZodType>(text: string, schema: S, where: string): z.output<S> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    const { position, reason } = syntaxError((e as Error).message, text);
    throw new ConfigFileError(`${where}${position}`, [`not JSON: ${reason}`]);
  }
  return checkValue(json, schema, where);
}

/** A parsed value checked against `schema`, every issue named. */
export function checkValue<S extends z.ZodType>(value: unknown, schema: S, where: string): z.output<S> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  throw new ConfigFileError(where, issueLines(parsed.error, FILE_ISSUES));
}

/** Node's JSON.parse message without its offset or its quote of the text, and `:line:column`. */
function syntaxError(message: string, text: string): { position: string; reason: string } {
  const offset = /at position (\d+)/.exec(message)?.[1];
  const at = offset !== undefined ? Number(offset) : message.includes('end of JSON input') ? text.length : -1;
  const reason = message
    .replace(/ in JSON at position \d+.*$/, '')
    .replace(/ at position \d+.*$/, '')
    .replace(/, (\.\.\.)?".*" is not valid JSON$/s, '');
  if (at < 0) return { position: '', reason };
  const before = text.slice(0, at).split('\n');
  return { position: `:${before.length}:${(before.at(-1)?.length ?? 0) + 1}`, reason };
}
