// Renders the broker's ACL file (Mosquitto acl_file syntax) from who is who, so provisioning can rewrite
// it whenever it assigns a desk to an extension. The rules are explained in docs/protocol.md,
// "Security"; deploy/mosquitto/acl is this function's output for the example installation.
import { SEGMENT_PATTERNS, type SegmentName } from './topics.js';

export interface AclInput {
  /** Desk devices: the username is the device id. */
  desks: { deviceId: string; org: string; ext: string }[];
  /** Operator boards, one username per board instance. */
  boards?: { username: string; org: string }[];
  /** The switchboard side (voicemail, queues) of an organisation. */
  switchboards?: { username: string; org: string }[];
  /** Calendar bridges (`hanvisa calendar`): refer staff from their calendars. */
  calendars?: { username: string; org: string }[];
  /** Provisioning (IT) usernames; they act in every organisation. */
  provisioning?: string[];
}

const HEADER = `# hanvisa broker ACL (Mosquitto acl_file), rendered by renderAcl() in protocol/acl.ts.
# Mosquitto denies whatever no line grants. Conventions (docs/protocol.md, "Security"):
#   - a desk device's username is its device id, unique on the broker;
#   - each desk has a user block for its extension, because an ACL pattern can only substitute the
#     whole username (%u) or client id (%c), and the extension is not part of the device id;
#   - %c grants nothing: the client id is chosen by the client, not authenticated.

# Every device: its own device topics, in whichever organisation it is provisioned.
pattern write hanvisa/v1/+/device/%u/state
pattern write hanvisa/v1/+/device/%u/config/ack
pattern write hanvisa/v1/+/device/%u/cmd/result
pattern read hanvisa/v1/+/device/%u/config
pattern read hanvisa/v1/+/device/%u/cmd
`;

/** Usernames become ACL lines and pattern substitutions: no spaces, wildcards, slashes or newlines. */
const USERNAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

function check(what: string, value: string, pattern: RegExp): string {
  if (!pattern.test(value))
    throw new Error(`ACL: invalid ${what} ${JSON.stringify(value)}: must match ${pattern}`);
  return value;
}
const segment = (name: SegmentName, value: string) => check(name, value, SEGMENT_PATTERNS[name]);
const user = (value: string) => check('username', value, USERNAME);

/** The ACL file. Throws on a name that could widen a rule (a programming or import error). */
export function renderAcl(input: AclInput): string {
  const blocks: string[] = [HEADER.trimEnd()];
  const taken = new Set<string>();
  const block = (username: string, comment: string, lines: string[]) => {
    if (taken.has(username)) throw new Error(`ACL: username ${JSON.stringify(username)} appears twice`);
    taken.add(username);
    blocks.push([`# ${comment}`, `user ${user(username)}`, ...lines.map((l) => `topic ${l}`)].join('\n'));
  };
  for (const { username, org } of input.boards ?? []) {
    const root = `hanvisa/v1/${segment('org', org)}`;
    block(
      username,
      `Operator board of ${org}: reads everything there, acts for staff, keeps phone messages.`,
      [`read ${root}/#`, `write ${root}/presence/+`, `write ${root}/mwi/+`, `write ${root}/mwi/+/handled`],
    );
  }
  for (const { username, org } of input.switchboards ?? []) {
    const root = `hanvisa/v1/${segment('org', org)}`;
    // mwi/+ is the board's alone: one writer per retained topic (docs/protocol.md, "Who publishes what").
    block(username, `Switchboard side of ${org}: voicemail and queues.`, [
      `write ${root}/voicemail/+`,
      `write ${root}/queue/+`,
    ]);
  }
  for (const { username, org } of input.calendars ?? []) {
    const root = `hanvisa/v1/${segment('org', org)}`;
    // read as well: it builds on the newest presence and never overrides a change made by hand
    block(username, `Calendar bridge of ${org}: refers staff from their calendars.`, [
      `readwrite ${root}/presence/+`,
      `write ${root}/calendar/+`,
      `read ${root}/directory/org`,
    ]);
  }
  for (const username of input.provisioning ?? []) {
    block(username, 'Provisioning (IT): configuration, commands, directory; may clear a retired device.', [
      'readwrite hanvisa/v1/+/device/#',
      // read too: an import compares with (and --prune clears) what the broker holds
      'readwrite hanvisa/v1/+/directory/#',
    ]);
  }
  for (const { deviceId, org, ext } of input.desks) {
    const root = `hanvisa/v1/${segment('org', org)}`;
    const e = segment('ext', ext);
    block(segment('deviceId', deviceId), `Desk on extension ${e} in ${org}.`, [
      `readwrite ${root}/presence/${e}`,
      `read ${root}/mwi/${e}`,
      `write ${root}/mwi/${e}/handled`,
      `read ${root}/voicemail/${e}`,
      `read ${root}/queue/+`,
      `read ${root}/directory/org`,
    ]);
  }
  return `${blocks.join('\n\n')}\n`;
}

/** The example installation of deploy/mosquitto/acl: two desks in Grästorp and its services. */
export const EXAMPLE_ACL: AclInput = {
  boards: [{ username: 'board-grastorp', org: 'grastorp' }],
  switchboards: [{ username: 'switchboard-grastorp', org: 'grastorp' }],
  calendars: [{ username: 'calendar-grastorp', org: 'grastorp' }],
  provisioning: ['provisioning'],
  desks: [
    { deviceId: 'desk-4711', org: 'grastorp', ext: '4711' },
    { deviceId: 'desk-4712', org: 'grastorp', ext: '4712' },
  ],
};
