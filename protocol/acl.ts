// Who may read and write which topics, as one rule table (aclAccounts): the Mosquitto ACL file is
// rendered from it (renderAcl, which provisioning rewrites whenever it assigns a desk), and the
// embedded broker checks the same table in its hooks (allows). The rules are explained in
// docs/protocol.md, "Security"; deploy/mosquitto/acl is renderAcl's output for the example installation.
import { filterFor, type Kind, matchesFilter, SEGMENT_PATTERNS, type SegmentName } from './topics.js';

/**
 * What a recorder reads: every kind it records (switchboard/recorder/recorded-events.ts, whose test
 * holds the two lists equal), and no more: not the boards' logouts, not the desks' configs.
 */
export const RECORDER_READS: readonly Kind[] = [
  'presence',
  'device-state',
  'mwi',
  'mwi-message',
  'mwi-handled',
  'voicemail',
  'queue',
  'call-event',
  'ext-call',
  'line',
  'directory-person',
  'directory-department',
  'directory-org',
];

export interface AclInput {
  /** Desk devices: the username is the device id. */
  desks: { deviceId: string; org: string; ext: string }[];
  /** Operator boards, one username per board instance. */
  boards?: { username: string; org: string }[];
  /** The switchboard side (the phone bridge: voicemail, queues, call events, link status) of an organisation. */
  switchboards?: { username: string; org: string }[];
  /** Calendar bridges (`hanvisa calendar`): refer staff from their calendars. */
  calendars?: { username: string; org: string }[];
  /** Recorders (`hanvisa record`): read what they record of an organisation (RECORDER_READS), write nothing. */
  recorders?: { username: string; org: string }[];
  /** Notifiers (`hanvisa notify`): phone messages by e-mail and SMS, the nudge, managers told. */
  notifiers?: { username: string; org: string }[];
  /** Organisation settings publishers (`hanvisa org`), when not the provisioning account. */
  orgPublishers?: { username: string; org: string }[];
  /** Directory importers (`hanvisa import`), when not the provisioning account. */
  importers?: { username: string; org: string }[];
  /** Provisioning (IT) usernames; they act in every organisation. */
  provisioning?: string[];
}

export type Access = 'read' | 'write' | 'readwrite';

/** One line of an account: what it may do on the topics an MQTT filter (`+`, `#`) matches. */
export interface Grant {
  access: Access;
  filter: string;
}

export interface Account {
  username: string;
  /** what the account is, for the ACL file's reader */
  about: string;
  grants: Grant[];
}

const HEADER = `# hanvisa broker ACL (Mosquitto acl_file), rendered by renderAcl() in protocol/acl.ts.
# Mosquitto denies whatever no line grants. Conventions (docs/protocol.md, "Security"):
#   - a desk device's username is its device id, unique on the broker;
#   - each account has its own user block naming its organisation (and a desk's device id and
#     extension): no pattern lines, since a %u pattern would also let every other account (a board,
#     the switchboard side) write a device state of that name, in any organisation;
#   - %c grants nothing: the client id is chosen by the client, not authenticated.`;

/** Usernames become ACL lines and pattern substitutions: no spaces, wildcards, slashes or newlines. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function check(what: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value))
    throw new Error(`ACL: invalid ${what} ${JSON.stringify(value)}: must match ${pattern}`);
  return value;
}
const segment = (name: SegmentName, value: string) => check(name, value, SEGMENT_PATTERNS[name]);
const user = (value: string) => check('username', value, USERNAME);
const grant = (access: Access, filter: string): Grant => ({ access, filter });

/**
 * The rule table. A service's username named for several organisations (one recorder, or one phone
 * bridge, for all of them) is one account with the grants of each. Throws on a name that could widen
 * a rule, or a username of two kinds of account (a programming or import error).
 */
export function aclAccounts(input: AclInput): Account[] {
  const accounts: Account[] = [];
  const taken = new Map<string, { kind: string | undefined; account: Account }>();
  // `kind`: a service's accounts of one name merge; a desk's or provisioning's never do
  const account = (username: string, about: string, grants: Grant[], kind?: string) => {
    const held = taken.get(username);
    if (held && kind !== undefined && held.kind === kind) {
      held.account.about += `\n# ${about}`;
      held.account.grants.push(...grants);
      return;
    }
    if (held) throw new Error(`ACL: username ${JSON.stringify(username)} appears twice`);
    const created = { username: user(username), about, grants };
    taken.set(username, { kind, account: created });
    accounts.push(created);
  };
  for (const { username, org } of input.boards ?? []) {
    const root = `hanvisa/v1/${segment('org', org)}`;
    account(
      username,
      `Operator board of ${org}: reads everything there, acts for staff, keeps phone messages.`,
      [
        grant('read', `${root}/#`),
        grant('write', `${root}/presence/+`),
        // mwi/+: to clear a value an older board left (converted into mwi/+/msg/+), and the copy for old desks
        grant('write', `${root}/mwi/+`),
        grant('write', `${root}/mwi/+/msg/+`),
        grant('write', `${root}/mwi/+/handled`),
        // logouts, for the other boards and for itself after a restart (docs/access.md)
        grant('write', `${root}/board/revoked/+`),
        // the service levels managers set on the manager's view (docs/staff.md)
        grant('write', `${root}/board/service-level/+`),
      ],
      'board',
    );
  }
  for (const { username, org } of input.switchboards ?? []) {
    const root = `hanvisa/v1/${segment('org', org)}`;
    // mwi/+/msg/+ is the boards' alone: one writer per retained topic (docs/protocol.md, "Who publishes what").
    // readwrite on its own retained topics: after a restart it adopts them, to mark them stale while the PBX is away
    account(
      username,
      `Switchboard side (phone bridge) of ${org}: voicemail, queues, call events, line states, link; reads referrals and the directory's people.`,
      [
        grant('readwrite', `${root}/voicemail/+`),
        grant('readwrite', `${root}/queue/+`),
        grant('write', `${root}/call/+`),
        grant('write', `${root}/extcall/+`),
        // readwrite: after a restart it adopts the line states it published, to correct them
        grant('readwrite', `${root}/line/+`),
        grant('write', `${root}/phone/link`),
        grant('read', `${root}/presence/+`),
        grant('read', `${root}/directory/org`),
        // the directory's people: the lines whose dialog state it watches
        grant('read', `${root}/directory/person/+`),
        grant('read', `${root}/switchboard-service`),
      ],
      'switchboard',
    );
  }
  for (const { username, org } of input.calendars ?? []) {
    const root = `hanvisa/v1/${segment('org', org)}`;
    // read as well: it builds on the newest presence and never overrides a change made by hand
    account(
      username,
      `Calendar bridge of ${org}: refers staff from their calendars.`,
      [
        grant('readwrite', `${root}/presence/+`),
        grant('write', `${root}/calendar/+`),
        grant('read', `${root}/directory/org`),
      ],
      'calendar',
    );
  }
  for (const { username, org } of input.notifiers ?? []) {
    const root = `hanvisa/v1/${segment('org', org)}`;
    account(
      username,
      `Notifier (hanvisa notify) of ${org}: delivers phone messages, nudges before the return time, tells managers.`,
      [
        grant('read', `${root}/mwi/+/msg/+`),
        // readwrite: after a restart it adopts what it said of each delivery, and clears it with the message
        grant('readwrite', `${root}/mwi/+/delivery/+`),
        // the e-mail's one-click "handled": the same event a desk key sends, the boards clear the message
        grant('write', `${root}/mwi/+/handled`),
        // the nudge's one-tap extend builds on the newest referral
        grant('readwrite', `${root}/presence/+`),
        grant('read', `${root}/directory/#`),
        // whose extension has a desk (IT's assignment): those are nudged by their reason lamp
        grant('read', `${root}/device/+/config`),
      ],
      'notify',
    );
  }
  for (const { username, org } of input.recorders ?? []) {
    account(
      username,
      `Recorder of ${org}: reads what it records there, writes nothing.`,
      RECORDER_READS.map((kind) => grant('read', filterFor(kind, segment('org', org)))),
      'recorder',
    );
  }
  for (const { username, org } of input.orgPublishers ?? []) {
    // read as well: it hears its settings back, the proof that the broker took them (session/)
    account(
      username,
      `Settings publisher (hanvisa org) of ${org}: settings, and the switchboard open/closed/lunch.`,
      [
        grant('readwrite', `hanvisa/v1/${segment('org', org)}/directory/org`),
        grant('readwrite', `hanvisa/v1/${segment('org', org)}/switchboard-service`),
      ],
      'org',
    );
  }
  for (const { username, org } of input.importers ?? []) {
    const root = `hanvisa/v1/${segment('org', org)}`;
    // reads the whole directory: an import compares with (and --prune clears) what the broker holds
    account(
      username,
      `Directory import (hanvisa import) of ${org}: people and departments.`,
      [
        grant('read', `${root}/directory/#`),
        grant('write', `${root}/directory/person/+`),
        grant('write', `${root}/directory/department/+`),
      ],
      'import',
    );
  }
  for (const username of input.provisioning ?? []) {
    account(username, 'Provisioning (IT): configuration, commands, directory; may clear a retired device.', [
      grant('readwrite', 'hanvisa/v1/+/device/#'),
      // read too: an import compares with (and --prune clears) what the broker holds
      grant('readwrite', 'hanvisa/v1/+/directory/#'),
      // `hanvisa org` on the provisioning account publishes the switchboard's service state too
      grant('readwrite', 'hanvisa/v1/+/switchboard-service'),
    ]);
  }
  for (const { deviceId, org, ext } of input.desks) {
    const root = `hanvisa/v1/${segment('org', org)}`;
    const e = segment('ext', ext);
    const device = `${root}/device/${segment('deviceId', deviceId)}`;
    account(deviceId, `Desk on extension ${e} in ${org}.`, [
      grant('readwrite', `${root}/presence/${e}`),
      grant('read', `${root}/mwi/${e}/msg/+`),
      // the boards' copy (--mwi-copy) for a desk agent from before 0.1.0, which reads only this
      grant('read', `${root}/mwi/${e}`),
      grant('write', `${root}/mwi/${e}/handled`),
      grant('read', `${root}/voicemail/${e}`),
      grant('read', `${root}/queue/+`),
      // the colleagues' lines a layout may show (line LEDs)
      grant('read', `${root}/line/+`),
      grant('read', `${root}/directory/org`),
      grant('write', `${device}/state`),
      grant('write', `${device}/config/ack`),
      grant('write', `${device}/cmd/result`),
      grant('read', `${device}/config`),
      grant('read', `${device}/cmd`),
      grant('read', `${device}/update`),
    ]);
  }
  return accounts;
}

/** The ACL file. Throws on a name that could widen a rule (a programming or import error). */
export function renderAcl(input: AclInput): string {
  const blocks = aclAccounts(input).map(({ username, about, grants }) =>
    [`# ${about}`, `user ${username}`, ...grants.map((g) => `topic ${g.access} ${g.filter}`)].join('\n'),
  );
  return `${[HEADER, ...blocks].join('\n\n')}\n`;
}

/** Whether two filters share a topic: could a subscription to `a` deliver anything `b` grants? */
export function filtersOverlap(a: string, b: string): boolean {
  const x = a.split('/');
  const y = b.split('/');
  for (let i = 0; i < Math.max(x.length, y.length); i++) {
    if (x[i] === '#' || y[i] === '#') return true;
    if (x[i] === undefined || y[i] === undefined) return false;
    if (x[i] !== '+' && y[i] !== '+' && x[i] !== y[i]) return false;
  }
  return true;
}

const permits = (g: Grant, access: 'read' | 'write') => g.access === access || g.access === 'readwrite';

/** What Mosquitto decides for `access` on a concrete `topic`: some grant of the account matches it. */
export function allows(grants: readonly Grant[], access: 'read' | 'write', topic: string): boolean {
  return grants.some((g) => permits(g, access) && matchesFilter(g.filter, topic));
}

/** Whether a subscription to `filter` could deliver anything the account may read. */
export function mayEverRead(grants: readonly Grant[], filter: string): boolean {
  return grants.some((g) => permits(g, 'read') && filtersOverlap(g.filter, filter));
}

/** The example installation of deploy/mosquitto/acl: two desks in Grästorp and its services. */
export const EXAMPLE_ACL: AclInput = {
  boards: [{ username: 'board-grastorp', org: 'grastorp' }],
  switchboards: [{ username: 'switchboard-grastorp', org: 'grastorp' }],
  calendars: [{ username: 'calendar-grastorp', org: 'grastorp' }],
  recorders: [{ username: 'recorder', org: 'grastorp' }],
  notifiers: [{ username: 'notify-grastorp', org: 'grastorp' }],
  provisioning: ['provisioning'],
  desks: [
    { deviceId: 'desk-4711', org: 'grastorp', ext: '4711' },
    { deviceId: 'desk-4712', org: 'grastorp', ext: '4712' },
  ],
};
