// The MQTT topic tree: hanvisa/v1/{org}/... One root and version, one segment per organisation,
// so one broker serves several municipalities. Only MQTT 3.1.1 features are relied on.

export const ROOT = 'hanvisa';
export const VERSION = 'v1';

/** Identifiers that become topic segments. None may contain '/', '+', '#' or be empty. */
export const SEGMENT_PATTERNS = {
  org: /^[a-z0-9][a-z0-9-]{0,31}$/,
  ext: /^[0-9]{1,15}$/,
  deviceId: /^[a-z0-9][a-z0-9_-]{0,63}$/,
  queueId: /^[a-z0-9][a-z0-9_-]{0,63}$/,
  departmentId: /^[a-z0-9][a-z0-9_-]{0,63}$/,
  /** a phone message's id (the board makes UUIDs); a topic segment, so one retained topic per message */
  messageId: /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/,
} as const;

export type SegmentName = keyof typeof SEGMENT_PATTERNS;

/** Topic shapes below the org segment; `{name}` is a parameter. The kind names the message. */
export const ROUTES = {
  presence: 'presence/{ext}',
  'device-state': 'device/{deviceId}/state',
  'device-config': 'device/{deviceId}/config',
  'device-config-ack': 'device/{deviceId}/config/ack',
  'device-cmd': 'device/{deviceId}/cmd',
  'device-cmd-result': 'device/{deviceId}/cmd/result',
  mwi: 'mwi/{ext}',
  'mwi-message': 'mwi/{ext}/msg/{messageId}',
  'mwi-handled': 'mwi/{ext}/handled',
  voicemail: 'voicemail/{ext}',
  queue: 'queue/{queueId}',
  'call-event': 'call/{queueId}',
  'phone-link': 'phone/link',
  'calendar-status': 'calendar/{ext}',
  'directory-person': 'directory/person/{ext}',
  'directory-department': 'directory/department/{departmentId}',
  'directory-org': 'directory/org',
} as const;

export type Kind = keyof typeof ROUTES;
export const KINDS = Object.keys(ROUTES) as Kind[];

/** The parameters each kind's topic carries, besides org. */
export type TopicParams = {
  presence: { ext: string };
  'device-state': { deviceId: string };
  'device-config': { deviceId: string };
  'device-config-ack': { deviceId: string };
  'device-cmd': { deviceId: string };
  'device-cmd-result': { deviceId: string };
  mwi: { ext: string };
  'mwi-message': { ext: string; messageId: string };
  'mwi-handled': { ext: string };
  voicemail: { ext: string };
  queue: { queueId: string };
  'call-event': { queueId: string };
  'phone-link': Record<never, never>;
  'calendar-status': { ext: string };
  'directory-person': { ext: string };
  'directory-department': { departmentId: string };
  'directory-org': Record<never, never>;
};

export type TopicRef<K extends Kind = Kind> = K extends Kind
  ? { kind: K; org: string } & TopicParams[K]
  : never;

/** A route's segments after the first: a literal to compare, or a parameter to check and keep. */
type Segment = { literal: string; param?: never } | { param: SegmentName; literal?: never };

/**
 * Routes indexed by segment count, then by first segment (a literal in every route), so parseTopic
 * compares a topic with the one to three routes it could be rather than all of them: it runs once
 * per received message, 100,000 times in a board's cold start.
 */
const routesByShape: Map<string, { kind: Kind; rest: Segment[] }[]>[] = [];
for (const kind of KINDS) {
  const [first, ...rest] = ROUTES[kind].split('/') as [string, ...string[]];
  if (first.startsWith('{')) throw new Error(`route ${ROUTES[kind]} must start with a literal segment`);
  const byFirst = routesByShape[rest.length + 1] ?? new Map();
  routesByShape[rest.length + 1] = byFirst;
  const segments = rest.map((part) =>
    part.startsWith('{') ? { param: part.slice(1, -1) as SegmentName } : { literal: part },
  );
  byFirst.set(first, [...(byFirst.get(first) ?? []), { kind, rest: segments }]);
}

export class TopicError extends Error {}

function checkSegment(name: SegmentName, value: unknown): string {
  if (typeof value !== 'string' || !SEGMENT_PATTERNS[name].test(value)) {
    throw new TopicError(`invalid ${name} ${JSON.stringify(value)}: must match ${SEGMENT_PATTERNS[name]}`);
  }
  return value;
}

/** Builds the full topic for a reference. Throws TopicError on an invalid segment (a programming error). */
export function topicFor(ref: TopicRef): string {
  const params = ref as unknown as Record<string, unknown>;
  const tail = ROUTES[ref.kind]
    .split('/')
    .map((part) =>
      part.startsWith('{') ? checkSegment(part.slice(1, -1) as SegmentName, params[part.slice(1, -1)]) : part,
    );
  return [ROOT, VERSION, checkSegment('org', ref.org), ...tail].join('/');
}

/** Subscription filter for one kind in one org (or all orgs with org '+'), parameters as wildcards. */
export function filterFor(kind: Kind, org: string): string {
  const tail = ROUTES[kind].split('/').map((part) => (part.startsWith('{') ? '+' : part));
  return [ROOT, VERSION, org === '+' ? '+' : checkSegment('org', org), ...tail].join('/');
}

/** One person's phone messages, one retained topic each: mwi/{ext}/msg/+ (docs/protocol.md). */
export function messagesFilter(org: string, ext: string): string {
  return `${topicFor({ kind: 'mwi', org, ext })}/msg/+`;
}

/** Everything in one org (or every org with '+'). */
export function orgFilter(org: string): string {
  return [ROOT, VERSION, org === '+' ? '+' : checkSegment('org', org), '#'].join('/');
}

/** topic.split('/') without String.prototype.split's generic path: ~0.2 µs less per message. */
function segmentsOf(topic: string): string[] {
  const parts: string[] = [];
  let from = 0;
  for (let to = topic.indexOf('/'); to !== -1; to = topic.indexOf('/', from)) {
    parts.push(topic.slice(from, to));
    from = to + 1;
  }
  parts.push(topic.slice(from));
  return parts;
}

/** Parses a topic into a reference, or returns a reason it is not one of ours. Never throws. */
export function parseTopic(topic: string): TopicRef | { error: string } {
  const parts = segmentsOf(topic);
  if (parts[0] !== ROOT) return { error: `topic is not under ${ROOT}/` };
  if (parts[1] !== VERSION)
    return { error: `unsupported contract version ${JSON.stringify(parts[1] ?? '')}` };
  const org = parts[2] ?? '';
  if (!SEGMENT_PATTERNS.org.test(org)) return { error: `invalid org segment ${JSON.stringify(org)}` };
  const candidates = routesByShape[parts.length - 3]?.get(parts[3] as string) ?? [];
  for (const { kind, rest } of candidates) {
    const ref: Record<string, string> = { kind, org };
    let matched = true;
    for (let i = 0; i < rest.length && matched; i++) {
      const { literal, param } = rest[i] as Segment;
      const got = parts[i + 4] as string;
      if (param === undefined) matched = got === literal;
      else if (SEGMENT_PATTERNS[param].test(got)) ref[param] = got;
      else matched = false;
    }
    if (matched) return ref as unknown as TopicRef;
  }
  return { error: `unknown topic ${JSON.stringify(parts.slice(3).join('/'))}` };
}

/** Whether an MQTT topic filter (with + and #) matches a topic. */
export function matchesFilter(filter: string, topic: string): boolean {
  const f = filter.split('/');
  const t = topic.split('/');
  for (let i = 0; i < f.length; i++) {
    if (f[i] === '#') return true;
    if (i >= t.length || (f[i] !== '+' && f[i] !== t[i])) return false;
  }
  return f.length === t.length;
}
