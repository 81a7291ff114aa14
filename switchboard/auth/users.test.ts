import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigFileError } from '../../config/json-file.js';
import { hashPassword, parseHash } from './password.js';
import { createDirectory, loadUsersFile, parseUsers, type User } from './users.js';

const CHEAP = { N: 1024, r: 8, p: 1 };
let anna: User;
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'hanvisa-users-'));
  anna = {
    username: 'anna',
    name: 'Anna Operatör',
    role: 'operator',
    orgs: ['grastorp', 'essunga'],
    passwordHash: await hashPassword('anna-password-1', CHEAP),
  };
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const errorOf = (fn: () => unknown): string => {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(ConfigFileError);
    return (e as Error).message;
  }
  throw new Error('expected a ConfigFileError');
};

describe('users file', () => {
  it('accepts a valid file', () => {
    const wall = { ...anna, username: 'wall', name: 'Wall screen', role: 'viewer', orgs: '*' };
    expect(parseUsers([anna, wall]).map((u) => u.username)).toEqual(['anna', 'wall']);
  });

  it('names the entry and the field of every error', () => {
    expect(errorOf(() => parseUsers([anna, { ...anna, username: 'bo', role: 'admin' }]))).toMatch(
      /\[1\]\.role: /m,
    );
    expect(errorOf(() => parseUsers([{ ...anna, orgs: ['Grästorp'] }]))).toMatch(/\[0\]\.orgs\[0\]: org: /m);
    expect(errorOf(() => parseUsers([{ ...anna, orgs: [] }]))).toMatch(/\[0\]\.orgs: /m);
    expect(errorOf(() => parseUsers([{ ...anna, passwordHash: 'hunter2' }]))).toMatch(
      /\[0\]\.passwordHash: not a usable password hash: expected scrypt/m,
    );
    expect(errorOf(() => parseUsers([{ ...anna, ext: '12a' }]))).toMatch(/\[0\]\.ext: /m);
    expect(errorOf(() => parseUsers([{ ...anna, password: 'plain' }]))).toMatch(
      /\(file\)|\[0\]: .*password/m,
    );
    expect(errorOf(() => parseUsers([anna, { ...anna }]))).toMatch(
      /\[1\]\.username: duplicate username anna/m,
    );
    expect(errorOf(() => parseUsers({ users: [] }))).toMatch(/ \(file\): /m);
    const { name: _, ...nameless } = anna;
    expect(errorOf(() => parseUsers([nameless]))).toMatch(/\[0\]\.name: /m);
  });

  it('gives staff and managers their one organisation, staff their extension, managers their departments', () => {
    const per = { ...anna, username: 'per', role: 'staff', orgs: ['essunga'], ext: '4711' };
    const maja = { ...per, username: 'maja', role: 'manager', departments: ['hemtjanst'] };
    expect(parseUsers([per, maja]).map((u) => u.role)).toEqual(['staff', 'manager']);
    expect(errorOf(() => parseUsers([{ ...per, orgs: ['essunga', 'grastorp'] }]))).toMatch(
      /\[0\]\.orgs: the staff role belongs to exactly one organisation/m,
    );
    expect(errorOf(() => parseUsers([{ ...maja, orgs: '*' }]))).toMatch(/\[0\]\.orgs: the manager role/m);
    const { ext: _, ...extless } = per;
    expect(errorOf(() => parseUsers([extless]))).toMatch(/\[0\]\.ext: the staff role needs the extension/m);
    const { departments: __, ...undepartmented } = maja;
    expect(errorOf(() => parseUsers([undepartmented]))).toMatch(
      /\[0\]\.departments: the manager role needs/m,
    );
    expect(errorOf(() => parseUsers([{ ...per, departments: ['x'] }]))).toMatch(
      /\[0\]\.departments: only for the manager role/m,
    );
  });

  it('names the file when it is not JSON or cannot be read', async () => {
    const file = join(dir, 'users.json');
    await writeFile(file, '[{');
    expect(errorOf(() => loadUsersFile(file))).toMatch(/^users file .*users\.json:1:3: not JSON/);
    const missing = join(dir, 'missing.json');
    expect(errorOf(() => loadUsersFile(missing))).toBe(`users file: no such file: ${missing}`);
    await writeFile(file, JSON.stringify([{ ...anna, role: 'boss' }]));
    expect(errorOf(() => loadUsersFile(file))).toContain(`users file ${file}: [0].role:`);
  });
});

describe('directory', () => {
  it('authenticates the right password, case-insensitively on the username', async () => {
    const directory = createDirectory([anna]);
    expect((await directory.authenticate(' Anna ', 'anna-password-1'))?.username).toBe('anna');
    expect(await directory.authenticate('anna', 'anna-password-2')).toBeUndefined();
  });

  it('runs a full scrypt verify against a dummy hash of the same cost for unknown usernames', async () => {
    const seen: string[] = [];
    const directory = createDirectory([anna], async (_password, stored) => {
      seen.push(stored);
      return false;
    });
    expect(await directory.authenticate('nobody', 'whatever')).toBeUndefined();
    expect(await directory.authenticate('anna', 'wrong')).toBeUndefined();
    expect(seen).toHaveLength(2);
    expect(seen[0]).not.toBe(anna.passwordHash);
    expect(parseHash(seen[0] as string)).toMatchObject(CHEAP);
    expect(seen[1]).toBe(anna.passwordHash);
  });
});
