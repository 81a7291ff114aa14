// The users file: who may log in to the board, with which role and for which organisations.
// JSON, validated with zod; every error names the entry and field it is about.
import { z } from 'zod';
import { checkValue, readJsonFile } from '../../config/json-file.js';
import { Ext, SEGMENT_PATTERNS } from '../../protocol/index.js';
import { DEFAULT_SCRYPT, dummyHash, parseHash, type ScryptParams, verifyPassword } from './password.js';

/**
 * operator: the switchboard; viewer: a wall screen or a colleague looking people up; it: IT; staff: a
 * person who refers their own phone (and handles their own messages) from the web; manager: staff who
 * also answer for departments' phone coverage (docs/access.md, "Roles").
 */
export const Role = z.enum(['operator', 'viewer', 'it', 'staff', 'manager']);
export type Role = z.infer<typeof Role>;

export const Username = z
  .string()
  .regex(/^[a-z0-9][a-z0-9._@-]{0,63}$/, 'username: 1-64 lower-case letters, digits, . _ @ -');

const PasswordHash = z.string().superRefine((value, ctx) => {
  const parsed = parseHash(value);
  if ('error' in parsed)
    ctx.addIssue({ code: 'custom', message: `not a usable password hash: ${parsed.error}` });
});

export const User = z.strictObject({
  username: Username,
  name: z.string().min(1).max(120),
  role: Role,
  /** the organisations this user sees; '*' for all on the board */
  orgs: z.union([
    z.literal('*'),
    z.array(z.string().regex(SEGMENT_PATTERNS.org, 'org: lower-case letters, digits, -')).min(1).max(64),
  ]),
  /** the user's own extension, if they are also staff: they see their own phone messages */
  ext: Ext.optional(),
  /** a manager's departments (ids in the directory of their one organisation) */
  departments: z
    .array(z.string().regex(SEGMENT_PATTERNS.departmentId, 'department: lower-case letters, digits, _ -'))
    .min(1)
    .max(64)
    .optional(),
  passwordHash: PasswordHash,
});
export type User = z.infer<typeof User>;
/** A user as given on the command line, before the password is hashed. */
export const UserFields = User.omit({ passwordHash: true });

/**
 * What a role needs beside the fields (the users file and OIDC's mapping alike): a person's own
 * extension is in exactly one organisation, so staff and managers name exactly one (the same number
 * in another municipality is someone else); staff need their extension; managers their departments.
 */
export function roleProblems(user: Pick<User, 'role' | 'orgs' | 'ext' | 'departments'>): string[] {
  const problems: string[] = [];
  const selfActing = user.role === 'staff' || user.role === 'manager';
  if (selfActing && (user.orgs === '*' || user.orgs.length !== 1))
    problems.push(`orgs: the ${user.role} role belongs to exactly one organisation`);
  if (user.role === 'staff' && user.ext === undefined)
    problems.push('ext: the staff role needs the extension');
  if (user.role === 'manager' && user.departments === undefined)
    problems.push('departments: the manager role needs its departments');
  if (user.role !== 'manager' && user.departments !== undefined)
    problems.push('departments: only for the manager role');
  return problems;
}

export const UsersFile = z
  .array(User)
  .max(10_000)
  .superRefine((users, ctx) => {
    const seen = new Set<string>();
    users.forEach((user, i) => {
      for (const problem of roleProblems(user)) {
        const field = problem.slice(0, problem.indexOf(':'));
        ctx.addIssue({ code: 'custom', path: [i, field], message: problem.slice(field.length + 2) });
      }
      if (seen.has(user.username)) {
        ctx.addIssue({
          code: 'custom',
          path: [i, 'username'],
          message: `duplicate username ${user.username}`,
        });
      }
      seen.add(user.username);
    });
  });

/** Validates parsed JSON (a file about to be written, say); `source` names the file in the error. */
export function parseUsers(json: unknown, source = 'users file'): User[] {
  return checkValue(json, UsersFile, source);
}

/** The users file; a ConfigFileError names the file and every bad entry and field. */
export function loadUsersFile(path: string): User[] {
  return readJsonFile(path, UsersFile, 'users file');
}

/** The scrypt parameters most users' hashes use: the dummy verify for unknown names costs the same. */
function typicalParams(users: readonly User[]): ScryptParams {
  const counts = new Map<string, { params: ScryptParams; n: number }>();
  for (const user of users) {
    const parsed = parseHash(user.passwordHash);
    if ('error' in parsed) continue;
    const key = `${parsed.N}/${parsed.r}/${parsed.p}`;
    const entry = counts.get(key) ?? { params: { N: parsed.N, r: parsed.r, p: parsed.p }, n: 0 };
    entry.n++;
    counts.set(key, entry);
  }
  return [...counts.values()].sort((a, b) => b.n - a.n)[0]?.params ?? DEFAULT_SCRYPT;
}

export type Verify = (password: string, stored: string) => Promise<boolean>;

export interface Directory {
  /** The user for this username and password, or undefined. Unknown usernames cost one scrypt too. */
  authenticate(username: string, password: string): Promise<User | undefined>;
  get(username: string): User | undefined;
}

export function createDirectory(users: readonly User[], verify: Verify = verifyPassword): Directory {
  const byName = new Map(users.map((u) => [u.username, u]));
  const dummy = dummyHash(typicalParams(users));
  return {
    async authenticate(username, password) {
      const user = byName.get(username.trim().toLowerCase());
      const ok = await verify(password, user?.passwordHash ?? dummy);
      return ok ? user : undefined;
    },
    get: (username) => byName.get(username),
  };
}
