// Who is who on a broker that serves several organisations, from one devices file: Mosquitto has one
// acl_file, so `hanvisa devices acl` renders every organisation's desks and services into it. Pure.
import { type AclInput, SEGMENT_PATTERNS } from '../../protocol/index.js';
import type { DeviceRow } from './assignments.js';
import type { Checked } from './checked.js';

/** A board or switchboard user of one organisation, and the option that named it (for messages). */
export interface ServiceUser {
  org: string;
  username: string;
  option: string;
}

/** `--board-user ORG=USER`, or `--board-user USER` for --org's organisation. */
export function parseServiceUser(name: string, value: string, org: string | undefined): Checked<ServiceUser> {
  const option = `--${name} ${value}`;
  const at = value.indexOf('=');
  if (at < 0)
    return org
      ? { ok: true, value: { org, username: value, option } }
      : { ok: false, reason: `${option}: which organisation's? give ORG=USER, or --org` };
  const userOrg = value.slice(0, at);
  if (!SEGMENT_PATTERNS.org.test(userOrg))
    return { ok: false, reason: `${option}: ${JSON.stringify(userOrg)} is not an organisation segment` };
  return { ok: true, value: { org: userOrg, username: value.slice(at + 1), option } };
}

/** A recorder user: of one organisation (`ORG=USER`), or of every one on the broker (`USER`). */
export interface RecorderUser {
  org?: string;
  username: string;
  option: string;
}

/** `--recorder-user ORG=USER`, or `--recorder-user USER` for every organisation, as `hanvisa record` without --org. */
export function parseRecorderUser(value: string): Checked<RecorderUser> {
  if (!value.includes('='))
    return { ok: true, value: { username: value, option: `--recorder-user ${value}` } };
  return parseServiceUser('recorder-user', value, undefined);
}

export interface AclPlanOptions {
  /** --org: its organisation is in the ACL even before it has desks */
  org?: string | undefined;
  boards: ServiceUser[];
  switchboards: ServiceUser[];
  provisioning: string[];
  recorders: RecorderUser[];
}

/**
 * renderAcl's input: every organisation of the rows (and --org) gets its desks, and its board and
 * switchboard users: the ones named for it, else `board-ORG` and `switchboard-ORG`. Provisioning acts in
 * every organisation; a recorder reads one, or every one. A username twice, or a user for an organisation without desks (a typo would
 * leave the real one on its default user), is a problem, named with the rows and options involved.
 */
export function planAcl(
  rows: Pick<DeviceRow, 'line' | 'deviceId' | 'org' | 'ext'>[],
  options: AclPlanOptions,
): { ok: true; value: AclInput } | { ok: false; problems: string[] } {
  const orgs = [...new Set([...(options.org ? [options.org] : []), ...rows.map((r) => r.org)])].sort();
  const problems: string[] = [];
  const owner = new Map<string, string>();
  const claim = (username: string, who: string) => {
    const other = owner.get(username);
    if (other) problems.push(`username ${JSON.stringify(username)} is both ${other} and ${who}`);
    else owner.set(username, who);
  };
  for (const r of rows) claim(r.deviceId, `the device on line ${r.line}`);
  const services = (kind: 'board' | 'switchboard', given: ServiceUser[]) => {
    for (const u of given)
      if (!orgs.includes(u.org)) problems.push(`${u.option}: the devices file has no desk of ${u.org}`);
    return orgs.flatMap((org) => {
      const named = given.filter((u) => u.org === org);
      const users = named.length
        ? named
        : [{ org, username: `${kind}-${org}`, option: `the default ${kind} user of ${org}` }];
      for (const u of users) claim(u.username, u.option);
      return users.map(({ username }) => ({ username, org }));
    });
  };
  const boards = services('board', options.boards);
  const switchboards = services('switchboard', options.switchboards);
  for (const username of options.provisioning) claim(username, `provisioning user ${username}`);
  for (const u of options.recorders) {
    if (u.org !== undefined && !orgs.includes(u.org))
      problems.push(`${u.option}: the devices file has no desk of ${u.org}`);
    claim(u.username, u.option);
  }
  if (problems.length) return { ok: false, problems };
  return {
    ok: true,
    value: {
      desks: rows.map(({ deviceId, org, ext }) => ({ deviceId, org, ext })),
      boards,
      switchboards,
      provisioning: options.provisioning,
      recorders: options.recorders.map(({ username, org }) =>
        org === undefined ? { username } : { username, org },
      ),
    },
  };
}
