// Reading back a small state file a service wrote itself (atomic-file.ts): missing is "nothing kept
// yet"; one that is not what the service writes stops it with the file named, so what it protects (replay
// protection, the entity tags of the PBX's publications) is never dropped silently.
import { readFileSync } from 'node:fs';
import type { z } from 'zod';
import { issueLines } from '../protocol/issues.js';

/** The file's content checked against `schema`, undefined when there is no file; `what` names it. */
export function readStateFile<S extends z.ZodType>(
  file: string,
  schema: S,
  what: string,
): z.output<S> | undefined {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw new Error(`cannot read ${what} ${file}: ${(e as Error).message}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    throw new Error(`${what} ${file} is not JSON (${(e as Error).message}); fix or remove it`);
  }
  const parsed = schema.safeParse(json);
  if (!parsed.success) {
    const [issue = 'invalid'] = issueLines(parsed.error, { max: 1, root: '(root)' });
    throw new Error(`${what} ${file}: ${issue}; fix or remove it`);
  }
  return parsed.data;
}
