import { chmod, chown, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyPassword } from './password.js';
import { loadUsersFile } from './users.js';
import { usersCommand } from './users-command.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-users-cli-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function run(argv: string[], stdin = '') {
  let out = '';
  let err = '';
  const code = await usersCommand(argv, {
    stdin: Readable.from([stdin]),
    stdout: { write: (t: string) => (out += t) },
    stderr: { write: (t: string) => (err += t) },
  });
  return { code, out, err };
}

describe('hanvisa users', () => {
  it('adds, lists, changes a password and removes users in a 0600 file', async () => {
    const file = join(dir, 'users.json');
    const add = await run(
      [
        'add',
        '--file',
        file,
        '--username',
        'Anna',
        '--role',
        'operator',
        '--name',
        'Anna Ek',
        '--orgs',
        'arjeplog,mala',
      ],
      'first password 1\nignored second line\n',
    );
    expect(add).toEqual({ code: 0, out: `added anna (operator) to ${file}\n`, err: '' });
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    await run(
      ['add', '--file', file, '--username', 'wall', '--role', 'viewer', '--ext', '4711', '--password-stdin'],
      'wall password 1',
    );

    const [anna, wall] = loadUsersFile(file);
    expect(anna).toMatchObject({
      username: 'anna',
      name: 'Anna Ek',
      role: 'operator',
      orgs: ['arjeplog', 'mala'],
    });
    expect(wall).toMatchObject({ username: 'wall', name: 'wall', role: 'viewer', orgs: '*', ext: '4711' });
    expect(await verifyPassword('first password 1', anna?.passwordHash ?? '')).toBe(true);
    expect(await verifyPassword('wall password 1', wall?.passwordHash ?? '')).toBe(true);

    expect((await run(['list', '--file', file])).out).toBe(
      'anna\toperator\tarjeplog,mala\t-\tAnna Ek\nwall\tviewer\t*\t4711\twall\n',
    );

    expect((await run(['passwd', '--file', file, '--username', 'anna'], 'second password 2\n')).code).toBe(0);
    const changed = loadUsersFile(file)[0];
    expect(await verifyPassword('second password 2', changed?.passwordHash ?? '')).toBe(true);
    expect(await verifyPassword('first password 1', changed?.passwordHash ?? '')).toBe(false);
    // or from a file, as every command takes a secret
    await writeFile(join(dir, 'anna.password'), 'third password 3\n');
    const fromFile = [
      'passwd',
      '--file',
      file,
      '--username',
      'anna',
      '--password-file',
      join(dir, 'anna.password'),
    ];
    expect((await run(fromFile)).code).toBe(0);
    expect(await verifyPassword('third password 3', loadUsersFile(file)[0]?.passwordHash ?? '')).toBe(true);

    expect((await run(['remove', '--file', file, '--username', 'wall'])).code).toBe(0);
    expect(loadUsersFile(file).map((u) => u.username)).toEqual(['anna']);
  });

  it("keeps the file's mode and owner when it rewrites it (deploy.md: root:hanvisa 0640)", async () => {
    const file = join(dir, 'shared.json');
    await run(['add', '--file', file, '--username', 'anna', '--role', 'operator'], 'long enough password');
    await chmod(file, 0o640);
    // another owner only where the test may give one (as root, as on the switchboard host)
    const owner = process.getuid?.() === 0 ? { uid: 1, gid: 2 } : await stat(file);
    await chown(file, owner.uid, owner.gid);
    await run(['add', '--file', file, '--username', 'bo', '--role', 'it'], 'long enough password');
    await run(['passwd', '--file', file, '--username', 'anna'], 'another long password');
    const after = await stat(file);
    expect({ mode: after.mode & 0o777, uid: after.uid, gid: after.gid }).toEqual({
      mode: 0o640,
      uid: owner.uid,
      gid: owner.gid,
    });
    expect(loadUsersFile(file).map((u) => u.username)).toEqual(['anna', 'bo']);
  });

  it('refuses bad input with exit code 2, a reason, and the file untouched', async () => {
    const file = join(dir, 'refusals.json');
    await run(['add', '--file', file, '--username', 'anna', '--role', 'operator'], 'long enough password');
    const before = await readFile(file, 'utf8');
    const cases: [string[], string, RegExp][] = [
      [['add', '--file', file, '--username', 'bo', '--role', 'boss'], 'long enough password', /role: /],
      [
        ['add', '--file', file, '--username', 'bo', '--role', 'it', '--orgs', 'Malå'],
        'long enough password',
        /orgs\[0\]: org: /,
      ],
      [
        ['add', '--file', file, '--username', 'anna', '--role', 'it'],
        'long enough password',
        /already exists/,
      ],
      [['add', '--file', file, '--username', 'bo', '--role', 'it'], 'short', /password must be 10-1024/],
      // staff and managers: one organisation, staff their extension, managers their departments
      [
        ['add', '--file', file, '--username', 'per', '--role', 'staff', '--orgs', 'mala'],
        'long enough password',
        /ext: the staff role needs the extension/,
      ],
      [
        [
          'add',
          '--file',
          file,
          '--username',
          'maja',
          '--role',
          'manager',
          '--orgs',
          'mala,sorsele',
          '--departments',
          'hemtjanst',
        ],
        'long enough password',
        /orgs: the manager role belongs to exactly one organisation/,
      ],
      [['passwd', '--file', file, '--username', 'nobody'], 'long enough password', /no user nobody/],
      [['add', '--file', file, '--role', 'it'], '', /--username is required/],
      [['add', '--username', 'bo', '--role', 'it'], '', /--file is required/],
      [['add', '--file', file, '--username', 'bo', '--password', 'x'], '', /unknown option --password\n/],
      [
        ['add', '--file', file, '--usernme', 'bo'],
        '',
        /unknown option --usernme \(did you mean --username\?\)/,
      ],
      [['grant', '--file', file], '', /unknown command grant\n/],
      [['ad', '--file', file], '', /unknown command ad \(did you mean add\?\)/],
      [
        ['add', '--file', file, '--username', 'bo', '--role', 'it', '--password-file', join(dir, 'none')],
        '',
        /--password-file: no such file: .*none\n/,
      ],
    ];
    for (const [argv, stdin, reason] of cases) {
      const result = await run(argv, stdin);
      expect(result.code, argv.join(' ')).toBe(2);
      expect(result.err, argv.join(' ')).toMatch(reason);
    }
    // input the command refuses is its reason alone; the usage is for a command line used wrongly
    for (const [argv, stdin] of [
      [['passwd', '--file', file, '--username', 'nobody'], 'long enough password'],
      [['add', '--file', file, '--username', 'bo', '--role', 'it'], 'short'],
    ] as const) {
      const result = await run([...argv], stdin);
      expect(result.err.split('\n').filter(Boolean), argv.join(' ')).toHaveLength(1);
    }
    expect(await readFile(file, 'utf8')).toBe(before);
  });

  it('reports a broken users file by field', async () => {
    const file = join(dir, 'broken.json');
    await writeFile(
      file,
      JSON.stringify([{ username: 'anna', name: 'A', role: 'admin', orgs: '*', passwordHash: 'x' }]),
    );
    const result = await run(['list', '--file', file]);
    expect(result.code).toBe(2);
    expect(result.err).toContain('[0].role:');
    expect(result.err).toContain('[0].passwordHash: not a usable password hash');
  });

  it('prints usage', async () => {
    expect(await run(['--help'])).toMatchObject({
      code: 0,
      out: expect.stringContaining('Usage: hanvisa users'),
    });
    expect((await run([])).code).toBe(2);
  });
});
