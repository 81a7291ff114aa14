// The MQTT topic tree: hanvisa/v1/{org}/... One root and version, one segment per organisation,
// so one broker serves several municipalities. Only MQTT 3.1.1 features are relied on.

import { KIND_TABLE, type Kind } from './kinds.js';
import { SEGMENT_PATTERNS, type SegmentName } from './segments.js';

export const ROOT = 'hanvisa';
export const VERSION = 'v1';

export { SEGMENT_PATTERNS, type SegmentName } from './segments.js';

/** Topic shapes below the org segment (kinds.ts); `{name}` is a parameter. The kind names the message. */
export const ROUTES = Object.fromEntries(Object.entries(KIND_TABLE).map(([kind, k]) => [kind, k.route])) as {
  [K in Kind]: (typeof KIND_TABLE)[K]['route'];
};

export type { Kind };
export const KINDS = Object.keys(KIND_TABLE) as Kind[];

type ParamNames<R extends string> = R extends `${string}{${infer P}}${infer Rest}`
  ? P | ParamNames<Rest>
  : never;

/** The parameters each kind's topic carries, besides org, read from its route. */
export type TopicParams = { [K in Kind]: { [P in ParamNames<(typeof KIND_TABLE)[K]['route']>]: string } };

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

/** The same routes by first segment alone, for matchTopic (which reads the segments as it goes). */
const routesByFirst = new Map<string, { kind: Kind; rest: Segment[] }[]>();
for (const byFirst of routesByShape)
  for (const [first, routes] of byFirst?.entries() ?? [])
    routesByFirst.set(first, [...(routesByFirst.get(first) ?? []), ...routes]);

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
  return matchTopic(topic) ?? parseTopicSlowly(topic);
}

const PREFIX = `${ROOT}/${VERSION}/`;
/** The last org segment that passed its pattern: nearly every topic a service hears names the same one. */
let knownOrg = '';

/**
 * A topic of ours read in place, without splitting it into an array first (one allocation and two
 * slices fewer per message, and the org's pattern only for a new org: a cold start reads 100,000).
 * Undefined on any doubt: parseTopicSlowly then gives the reason.
 */
function matchTopic(topic: string): TopicRef | undefined {
  if (!topic.startsWith(PREFIX)) return undefined;
  const orgEnd = topic.indexOf('/', PREFIX.length);
  if (orgEnd === -1) return undefined;
  const org = topic.slice(PREFIX.length, orgEnd);
  if (org !== knownOrg) {
    if (!SEGMENT_PATTERNS.org.test(org)) return undefined;
    knownOrg = org;
  }
  let firstEnd = topic.indexOf('/', orgEnd + 1);
  if (firstEnd === -1) firstEnd = topic.length;
  const candidates = routesByFirst.get(topic.slice(orgEnd + 1, firstEnd));
  if (!candidates) return undefined;
  for (const { kind, rest } of candidates) {
    const ref: Record<string, string> = { kind, org };
    let at = firstEnd;
    let matched = true;
    for (let i = 0; i < rest.length && matched; i++) {
      if (at === topic.length) {
        matched = false;
        break;
      }
      const from = at + 1;
      at = topic.indexOf('/', from);
      if (at === -1) at = topic.length;
      const { literal, param } = rest[i] as Segment;
      if (param === undefined) matched = at - from === literal.length && topic.startsWith(literal, from);
      else {
        const got = topic.slice(from, at);
        if (SEGMENT_PATTERNS[param].test(got)) ref[param] = got;
        else matched = false;
      }
    }
    if (matched && at === topic.length) return ref as unknown as TopicRef;
  }
  return undefined;
}

/** The reason a topic is not one of ours (or its reference after all: it walks the whole route index). */
function parseTopicSlowly(topic: string): TopicRef | { error: string } {
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
