// releases.json is the one list of releases (RELEASES.md says what each holds): the newest is
// package.json's version, which the desk agent reports, and every earlier one names a commit of this
// history, which the cross-release test (previous-release.test.ts) builds.
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { AGENT_VERSION } from '../../agent/runtime/agent.js';
import { ROOT } from '../support/build-product.js';
import { hasCommit, previousRelease, releases } from '../support/previous-release.js';

const { version } = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string };
const numbers = (v: string) => v.split('.').map(Number);
const later = (a: string, b: string) => {
  const [x, y] = [numbers(a), numbers(b)];
  const i = x.findIndex((n, k) => n !== y[k]);
  return i >= 0 && (x[i] ?? 0) > (y[i] ?? 0);
};

describe('releases.json', () => {
  it("ends with package.json's version, this tree, which the agent reports in its device state", () => {
    expect(releases().at(-1)).toMatchObject({ version, commit: null });
    expect(AGENT_VERSION).toBe(version);
    expect(readFileSync(join(ROOT, 'RELEASES.md'), 'utf8')).toContain(`## ${version} `);
  });

  it('lists the releases oldest first, each with a date and every earlier one with its full commit', () => {
    const all = releases();
    for (const [i, r] of all.entries()) {
      expect(r.version).toMatch(/^\d+\.\d+\.\d+$/);
      expect(r.date).toMatch(/^\d{4}-\d\d-\d\d$/);
      if (i > 0)
        expect(later(r.version, all[i - 1]?.version ?? ''), `${r.version} after its predecessor`).toBe(true);
      if (i < all.length - 1) expect(r.commit).toMatch(/^[0-9a-f]{40}$/);
    }
  });

  it('names a previous release whose commit a full clone holds', async () => {
    const shallow = execFileSync('git', ['-C', ROOT, 'rev-parse', '--is-shallow-repository'], {
      encoding: 'utf8',
    });
    if (shallow.trim() === 'false') expect(await hasCommit(previousRelease().commit)).toBe(true);
  });
});
