import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../config/json-file.js';
import { loadNotifyConfig } from './config.js';

describe('the notifier file', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-notify-config-'));
    await writeFile(join(dir, 'link-secret'), `${'s'.repeat(40)}\n`);
    await writeFile(join(dir, 'smtp-password'), 'pw\n');
    await writeFile(join(dir, 'elks-password'), 'pw\n');
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  const write = async (value: unknown) => {
    const path = join(dir, 'notify.json');
    await writeFile(path, JSON.stringify(value));
    return path;
  };

  it('reads the example with its secrets beside it, and makes its mailers', async () => {
    const example = JSON.parse(
      await readFile(join(import.meta.dirname, '../../examples/notify.json'), 'utf8'),
    );
    example.linkSecretFile = 'link-secret';
    example.email.smtp.passwordFile = 'smtp-password';
    example.sms.elks.passwordFile = 'elks-password';
    example.push.vapidPrivateKeyFile = 'smtp-password';
    const config = loadNotifyConfig(await write(example));
    expect(Object.keys(config.mailers).sort()).toEqual(['email', 'sms']);
    expect(config.mailers.email?.label).toBe('smtp smtp.grastorp.se:587');
    expect(config.mailers.sms?.label).toBe('sms api.46elks.com');
    expect(config.retry).toEqual({ firstMs: 30_000, maxMs: 1_800_000, attempts: 10 });
    expect(config.stateFile).toBe('/var/lib/hanvisa/notify-state.json');
    expect(config.managers).toEqual({
      bygg: [{ ext: '4700' }, { name: 'Socialjouren', mobile: '+46514580000' }],
    });
    expect(config.vapid).toMatchObject({ subject: 'mailto:it@grastorp.se', privateKey: 'pw' });
    for (const m of Object.values(config.mailers)) await m.close();
  });

  it('names every bad field at once', async () => {
    const path = await write({
      publicUrl: 'ftp://x',
      linkSecretFile: 'link-secret',
      stateFile: 's.json',
      email: { smtp: { host: 'h', from: 'a@b' }, graph: {} },
      sms: { elks: { username: 'u', passwordFile: 'elks-password', from: 'A very long sender' } },
      retry: { attempts: 0 },
      departments: { bygg: { tell: [{ name: 'Nobody' }] } },
    });
    let error: unknown;
    try {
      loadNotifyConfig(path);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(ConfigFileError);
    const message = (error as Error).message;
    for (const field of [
      'publicUrl',
      'email',
      'sms.elks.from',
      'retry.attempts',
      'departments.bygg.tell[0]: give email or mobile',
    ])
      expect(message).toContain(field);
  });

  it('refuses a short link secret', async () => {
    await writeFile(join(dir, 'short'), 'abc\n');
    const path = await write({ publicUrl: 'https://x/', linkSecretFile: 'short', stateFile: 's.json' });
    expect(() => loadNotifyConfig(path)).toThrow(/32 characters/);
  });
});
