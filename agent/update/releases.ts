// The desk's releases on disk, A/B style (docs/provisioning.md, "Agent updates"), in the service's
// state directory (/var/lib/hanvisa, the only place it may write under ProtectSystem=strict):
//   current            symlink to the release the unit starts (install.sh points it at /opt/hanvisa)
//   releases/VERSION/  a staged release: the package's dist, package.json and lock; node_modules
//                      linked to the running release's (native modules are built on the desk)
//   update/pending     the switch just made: id, version, from (current's old target), deadline
//   update/trial       the same, once the unit has started the new release (deploy/pi/boot-check.sh)
//   update/rolled-back the same plus reason=, after the boot check switched back
// The agent writes pending and the current link; boot-check.sh turns pending into trial on the next
// start and rolls back a trial that started once and did not come online; the new agent confirms.
import { execFile } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  readdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  renameSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { DeviceUpdate } from '../../protocol/index.js';

/** A switch to a new release, as update/pending, trial and rolled-back record it. */
export interface SwitchRecord {
  id: string;
  version: string;
  /** current's target before the switch: where a rollback points it again */
  from: string;
  fromVersion: string;
  /** epoch seconds by which the new agent must be online */
  deadline: number;
  /** rolled-back only: why boot-check.sh switched back */
  reason?: string;
}

const KEYS = {
  id: 'id',
  version: 'version',
  from: 'from',
  fromVersion: 'from_version',
  deadline: 'deadline',
};

export class Releases {
  constructor(readonly stateDir: string) {}

  private path(...parts: string[]) {
    return join(this.stateDir, ...parts);
  }

  /** The release directory running now (current's target, resolved); throws without a current link. */
  running(): string {
    const current = this.path('current');
    if (!existsSync(current))
      throw new Error(`no release link ${current}: install this release with deploy/pi/install.sh`);
    return realpathSync(current);
  }

  /**
   * Unpacks the verified package into releases/VERSION and checks it is that version and needs the
   * node_modules the desk has. Throws with the reason; a failed stage leaves nothing behind.
   */
  async stage(bytes: Buffer, update: DeviceUpdate): Promise<string> {
    const running = this.running();
    const releases = this.path('releases');
    mkdirSync(releases, { recursive: true });
    const partial = join(releases, `.${update.version}.partial`);
    const archive = `${partial}.tar.gz`;
    rmSync(partial, { recursive: true, force: true });
    mkdirSync(partial);
    try {
      writeFileSync(archive, bytes);
      await promisify(execFile)('tar', ['-xzf', archive, '-C', partial, '--no-same-owner']);
      const pkg = readJson(join(partial, 'package.json'));
      if (pkg.version !== update.version)
        throw new Error(`the package is version ${String(pkg.version)}, announced ${update.version}`);
      if (!existsSync(join(partial, 'dist/bin/hanvisa.js')))
        throw new Error('the package has no dist/bin/hanvisa.js');
      const change = dependencyChange(join(running, 'package-lock.json'), join(partial, 'package-lock.json'));
      if (change) throw new Error(`${change}: install this release with npm ci and deploy/pi/install.sh`);
      symlinkSync(realpathSync(join(running, 'node_modules')), join(partial, 'node_modules'));
      const release = join(releases, update.version);
      rmSync(release, { recursive: true, force: true });
      renameSync(partial, release);
      return release;
    } finally {
      rmSync(partial, { recursive: true, force: true });
      rmSync(archive, { force: true });
    }
  }

  /** Records the switch (update/pending), then points current at `release`; both replaced atomically. */
  switchTo(release: string, record: Omit<SwitchRecord, 'from'>): void {
    const from = readlinkSync(this.path('current'));
    mkdirSync(this.path('update'), { recursive: true });
    writeAtomically(this.path('update/pending'), formatRecord({ ...record, from }));
    const link = this.path('current.new');
    rmSync(link, { force: true });
    symlinkSync(release, link);
    renameSync(link, this.path('current'));
  }

  /** A switch under way (pending or trial) or one rolled back, as the files say. */
  read(name: 'pending' | 'trial' | 'rolled-back'): SwitchRecord | undefined {
    const file = this.path('update', name);
    return existsSync(file) ? parseRecord(readFileSync(file, 'utf8')) : undefined;
  }

  /** Forgets a record: the trial once the new agent is online, a rollback once it is reported. */
  forget(name: 'trial' | 'rolled-back'): void {
    rmSync(this.path('update', name), { force: true });
  }

  /** Removes the staged releases that are neither running nor the way back. */
  prune(keep: readonly string[]): void {
    const releases = this.path('releases');
    if (!existsSync(releases)) return;
    const kept = new Set(keep.filter(existsSync).map((p) => realpathSync(p)));
    for (const name of readdirSync(releases)) {
      const dir = join(releases, name);
      if (!kept.has(realpathSync(dir))) rmSync(dir, { recursive: true, force: true });
    }
  }
}

function readJson(path: string): Record<string, unknown> {
  if (!existsSync(path)) throw new Error(`the package has no ${path.split('/').at(-1)}`);
  return JSON.parse(readFileSync(path, 'utf8')) as Record<string, unknown>;
}

/**
 * Why the new release needs other node_modules than the desk has (its lock's packages differ, the
 * package's own entry aside), or undefined. Native modules are built on the desk, so an update never
 * brings them: a dependency change is a reinstall.
 */
export function dependencyChange(runningLock: string, newLock: string): string | undefined {
  if (!existsSync(runningLock)) return 'the running release has no package-lock.json to compare with';
  const deps = (path: string) => {
    const { '': _own, ...packages } = (readJson(path).packages ?? {}) as Record<string, unknown>;
    return JSON.stringify(packages);
  };
  return deps(runningLock) === deps(newLock) ? undefined : 'its dependencies differ from the installed ones';
}

function formatRecord(record: SwitchRecord): string {
  return `${Object.entries(KEYS)
    .map(([field, key]) => `${key}=${record[field as keyof typeof KEYS]}`)
    .join('\n')}\n`;
}

function parseRecord(text: string): SwitchRecord {
  const values = new Map(
    text
      .split('\n')
      .filter((line) => line.includes('='))
      .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)] as const),
  );
  const reason = values.get('reason');
  return {
    id: values.get(KEYS.id) ?? '',
    version: values.get(KEYS.version) ?? '',
    from: values.get(KEYS.from) ?? '',
    fromVersion: values.get(KEYS.fromVersion) ?? '',
    deadline: Number(values.get(KEYS.deadline) ?? 0),
    ...(reason ? { reason } : {}),
  };
}

function writeAtomically(path: string, text: string): void {
  writeFileSync(`${path}.tmp`, text);
  renameSync(`${path}.tmp`, path);
}
