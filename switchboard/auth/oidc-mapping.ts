// From the provider's claims to a hanvisa user: pure, so the rules are tested without a provider.
// A person in several mapped groups gets the strongest role among them, the organisations (and a
// manager's departments) of the entries with that role; a person in none is refused.
import { SEGMENT_PATTERNS } from '../../protocol/index.js';
import type { OidcConfig } from './oidc-config.js';
import { type Role, roleProblems, type User, Username } from './users.js';

/** Strongest first: who acts for everyone, who answers for a department, who acts for themselves, who only looks. */
export const ROLE_STRENGTH: readonly Role[] = ['operator', 'manager', 'staff', 'it', 'viewer'];

export type MappedUser = Pick<User, 'username' | 'name' | 'role' | 'orgs' | 'ext' | 'departments'>;
export type Mapping = { ok: true; user: MappedUser } | { ok: false; reason: string; detail: string };

const strings = (value: unknown): string[] =>
  Array.isArray(value)
    ? value.filter((v): v is string => typeof v === 'string')
    : typeof value === 'string'
      ? [value]
      : [];

/** The extension from a claim's value: its digits, or the last N of them. */
export function extensionOf(value: unknown, lastDigits?: number): string | undefined {
  if (typeof value !== 'string' && typeof value !== 'number') return undefined;
  const digits = String(value).replace(/\D/g, '');
  const ext = lastDigits ? digits.slice(-lastDigits) : digits;
  return SEGMENT_PATTERNS.ext.test(ext) && (!lastDigits || ext.length === lastDigits) ? ext : undefined;
}

export function mapClaims(
  claims: Record<string, unknown>,
  config: Pick<OidcConfig, 'claims' | 'roles'>,
): Mapping {
  const names = config.claims;
  const username = Username.safeParse(String(claims[names.username] ?? '').toLowerCase());
  if (!username.success)
    return { ok: false, reason: 'oidc-username', detail: `claim ${names.username} is not a usable username` };
  const groups = new Set(strings(claims[names.groups]));
  const matching = config.roles.filter((m) => groups.has(m.group));
  const role = ROLE_STRENGTH.find((r) => matching.some((m) => m.role === r));
  if (!role) return { ok: false, reason: 'oidc-no-role', detail: `${username.data} is in no mapped group` };
  const entries = matching.filter((m) => m.role === role);
  const orgs = entries.some((m) => m.orgs === '*')
    ? '*'
    : [...new Set(entries.flatMap((m) => (m.orgs === '*' ? [] : m.orgs)))];
  const departments = [...new Set(entries.flatMap((m) => m.departments ?? []))];
  const ext = names.ext === undefined ? undefined : extensionOf(claims[names.ext], names.extLastDigits);
  const name = String(claims[names.name] ?? username.data).slice(0, 120) || username.data;
  const user: MappedUser = {
    username: username.data,
    name,
    role,
    orgs,
    ...(ext ? { ext } : {}),
    ...(departments.length ? { departments } : {}),
  };
  const problems = roleProblems(user);
  if (problems.length)
    return { ok: false, reason: 'oidc-mapping', detail: `${username.data}: ${problems.join('; ')}` };
  return { ok: true, user };
}
