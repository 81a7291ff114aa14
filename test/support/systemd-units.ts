// The units in deploy/systemd as tests read them: a unit's settings, and its ExecStart split into
// Node's flags, the hanvisa command and its arguments.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT } from './build-product.js';

export const UNITS = join(ROOT, 'deploy/systemd');

export const unitText = (file: string) => readFileSync(join(UNITS, file), 'utf8');

/** Every value of a unit's `key=` lines. */
export const settings = (file: string, key: string): string[] =>
  [...unitText(file).matchAll(new RegExp(`^${key}=(.*)$`, 'gm'))].map((m) => m[1] ?? '');

/** A unit's ExecStart: `node` is /usr/bin/node, the script dist/bin/hanvisa.js; %d, the credentials directory, is /run/credentials/unit. */
export function execStart(file: string): {
  node: string;
  nodeFlags: string[];
  command: string | undefined;
  args: string[];
} {
  const line = /^ExecStart=(.*)$/m.exec(unitText(file))?.[1];
  if (!line) throw new Error(`${file} has no ExecStart`);
  const words = line.trim().split(/\s+/);
  const script = words.findIndex((w) => w.endsWith('/dist/bin/hanvisa.js'));
  if (script < 1) throw new Error(`${file}: ExecStart does not run dist/bin/hanvisa.js`);
  return {
    node: words[0] ?? '',
    nodeFlags: words.slice(1, script),
    command: words[script + 1],
    args: words.slice(script + 2).map((w) => w.replace('%d', '/run/credentials/unit')),
  };
}
