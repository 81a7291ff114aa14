// The local journal: the agent's extension and last presence, whether the broker has acknowledged it,
// and the last good device config, in one small JSON file replaced atomically (temp file + fsync + rename + fsync of
// the folder). A restart or power cut finds either the old or the new file, never half of one.
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { writeFileAtomically } from '../../config/atomic-file.js';
import { DeviceConfig, Ext, issueLines, Presence } from '../../protocol/index.js';

export const JournalEntry = z.object({
  v: z.literal(1),
  /** whose presence this is: a journal of another extension's desk is not ours */
  ext: Ext,
  /** null while not yet known (just reassigned to another extension) */
  presence: Presence.nullable(),
  /** true until the broker acknowledged (PUBACK) this presence */
  pending: z.boolean(),
  deviceConfig: DeviceConfig.optional(),
});
export type JournalEntry = z.infer<typeof JournalEntry>;

export type JournalLoad =
  | { kind: 'missing' }
  | { kind: 'ok'; entry: JournalEntry }
  | { kind: 'corrupt'; error: string };

/** Reads the journal. Never throws: a missing or corrupt file is a result the agent decides on. */
export function readJournal(path: string): JournalLoad {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'missing' };
    return { kind: 'corrupt', error: `cannot read ${path}: ${(e as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { kind: 'corrupt', error: `${path}: not valid JSON: ${(e as Error).message}` };
  }
  const parsed = JournalEntry.safeParse(json);
  if (!parsed.success) {
    const [issue = 'invalid'] = issueLines(parsed.error, { max: 1, root: '(root)' });
    return { kind: 'corrupt', error: `${path}: ${issue}` };
  }
  return { kind: 'ok', entry: parsed.data };
}

/**
 * Replaces the journal atomically and durably, before the presence in it is published: a key press is
 * on disk in the order the presses came.
 */
export function writeJournal(path: string, entry: JournalEntry): void {
  writeFileAtomically(path, `${JSON.stringify(entry)}\n`);
}
