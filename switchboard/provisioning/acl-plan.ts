// Who is who on a broker that serves several organisations, from one devices file: Mosquitto has one
// acl_file, so `hanvisa devices acl` renders every organisation's desks and services into it. Pure.
import { type AclInput, SEGMENT_PATTERNS } from '../../protocol/index.js';
import type { DeviceRow } from './assignments.js';
import type { Checked } from './checked.js';

/** A service's user in one organisation (undefined: every one), and the option that named it (for messages). */
export interface ServiceUser {
  org: string | undefined;
  username: string;
  option: string;
}

/**
 * `--board-user ORG=USER`, or `--board-user USER` for --org's organisation; a recorder without ORG=
 * reads every organisation.
 */
export function parseServiceUser(name: string, value: string, org: string | undefined): Checked<ServiceUser> {
  const option = `--${name} ${value}`;
  const at = value.indexOf('=');
  if (at < 0) {
    if (name === SERVICE_KINDS.recorder.option)
      return { ok: true, value: { org: undefined, username: value, option } };
    return org
      ? { ok: true, value: { org, username: value, option } }
      : { ok: false, reason: `${option}: which organisation's? give ORG=USER, or --org` };
  }
  const userOrg = value.slice(0, at);
  if (!SEGMENT_PATTERNS.org.test(userOrg))
    return { ok: false, reason: `${option}: ${JSON.stringify(userOrg)} is not an organisation segment` };
  return { ok: true, value: { org: userOrg, username: value.slice(at + 1), option } };
}

/** The kinds of service account `hanvisa devices acl` renders, each with the option that names it. */
export const SERVICE_KINDS = {
  board: { option: 'board-user', input: 'boards', default: 'board-ORG' },
  switchboard: { option: 'switchboard-user', input: 'switchboards', default: 'switchboard-ORG' },
  calendar: { option: 'calendar-user', input: 'calendars', default: 'calendar-ORG' },
  recorder: { option: 'recorder-user', input: 'recorders', default: 'recorder' },
  // only where the organisation runs one (hanvisa notify, docs/notify.md)
  notify: { option: 'notify-user', input: 'notifiers', default: undefined },
  org: { option: 'org-user', input: 'orgPublishers', default: undefined },
  import: { option: 'import-user', input: 'importers', default: undefined },
} as const;
export type ServiceKind = keyof typeof SERVICE_KINDS;

/** The options that name the accounts, for `devices acl` and `broker --passwd` alike (parseArgs). */
export const ACL_OPTIONS = {
  'board-user': { type: 'string', multiple: true },
  'switchboard-user': { type: 'string', multiple: true },
  'calendar-user': { type: 'string', multiple: true },
  'recorder-user': { type: 'string', multiple: true },
  'notify-user': { type: 'string', multiple: true },
  'org-user': { type: 'string', multiple: true },
  'import-user': { type: 'string', multiple: true },
  'provisioning-user': { type: 'string', multiple: true },
} as const;

export const ACL_USAGE = `      --board-user [ORG=]U        operator board (default board-ORG)
      --switchboard-user [ORG=]U  phone bridge (default switchboard-ORG)
      --calendar-user [ORG=]U     calendar bridge (default calendar-ORG)
      --recorder-user [ORG=]U     recorder, reads all it records (default recorder, every
                                  organisation; without ORG= every organisation)
      --notify-user [ORG=]U       hanvisa notify (none unless named)
      --org-user [ORG=]U          hanvisa org (default: the provisioning user does it)
      --import-user [ORG=]U       hanvisa import (default: the provisioning user does it)
      --provisioning-user U       IT's devices, directory and settings (default provisioning)
      Each is repeatable; one U named for several ORGs is one account serving each.
`;

export interface AclPlanOptions {
  /** --org: its organisation is in the ACL even before it has desks */
  org?: string | undefined;
  /** the users named for each kind of service; `org` undefined: every organisation (recorder) */
  services: Partial<Record<ServiceKind, ServiceUser[]>>;
  provisioning: string[];
}

/**
 * renderAcl's input: every organisation of the rows (and --org) gets its desks, and its service
 * accounts: the ones named for it, else the kind's default (`board-ORG`, `switchboard-ORG`,
 * `calendar-ORG`, one `recorder` reading every organisation; the settings publisher and the import
 * have none: the provisioning account does their jobs unless they are named). One username named for
 * several organisations of one kind is one account with the rights in each (a phone bridge serving
 * two organisations). Provisioning acts in every organisation. A username of two kinds, or a user
 * for an organisation without desks (a typo would leave the real one on its default user), is a
 * problem, named with the rows and options involved.
 */
export function planAcl(
  rows: Pick<DeviceRow, 'line' | 'deviceId' | 'org' | 'ext'>[],
  options: AclPlanOptions,
): { ok: true; value: AclInput } | { ok: false; problems: string[] } {
  const orgs = [...new Set([...(options.org ? [options.org] : []), ...rows.map((r) => r.org)])].sort();
  const problems: string[] = [];
  const owner = new Map<string, { kind: string; who: string }>();
  const claim = (username: string, kind: string, who: string) => {
    const other = owner.get(username);
    if (other && other.kind !== kind)
      problems.push(`username ${JSON.stringify(username)} is both ${other.who} and ${who}`);
    else if (!other) owner.set(username, { kind, who });
  };
  for (const r of rows) claim(r.deviceId, `device ${r.line}`, `the device on line ${r.line}`);
  const value: AclInput = {
    desks: rows.map(({ deviceId, org, ext }) => ({ deviceId, org, ext })),
    provisioning: options.provisioning,
  };
  for (const [kind, { input, default: fallback }] of Object.entries(SERVICE_KINDS)) {
    const given = options.services[kind as ServiceKind] ?? [];
    for (const u of given)
      if (u.org !== undefined && !orgs.includes(u.org))
        problems.push(`${u.option}: the devices file has no desk of ${u.org}`);
    value[input] = orgs.flatMap((org) => {
      const named = given.filter((u) => u.org === org || u.org === undefined);
      const users = named.length
        ? named
        : fallback
          ? [{ username: fallback.replace('ORG', org), option: `the default ${kind} user of ${org}` }]
          : [];
      for (const u of users) claim(u.username, kind, u.option);
      return users.map(({ username }) => ({ username, org }));
    });
  }
  for (const username of options.provisioning)
    claim(username, 'provisioning', `provisioning user ${username}`);
  // a user of every organisation is claimed once in each: one problem, said once
  if (problems.length) return { ok: false, problems: [...new Set(problems)] };
  return { ok: true, value };
}
