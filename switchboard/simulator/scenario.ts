// A simulated switchboard for demos and tests, as pure functions of (seed, time): a small municipality's
// directory, then call-queue and voicemail traffic at a slow, human rhythm. The same seed gives
// the same traffic, so a demo or a failing test can be replayed.
import type { Message, OrgInfo } from '../../protocol/index.js';

/** mulberry32: tiny, fast, good enough for demo traffic; deterministic across platforms. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface DemoPerson {
  ext: string;
  name: string;
  department: string;
  title: string;
}

export const DEMO_DEPARTMENTS = [
  {
    id: 'kontaktcenter',
    name: 'Kontaktcenter',
    queue: 'kontaktcenter',
    // Högsby: a function with many calls where someone must always answer
    mustAnswer: true,
    phoneHours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '16:30' }],
  },
  {
    id: 'socialtjanst',
    name: 'Socialtjänsten',
    queue: 'socialtjanst',
    mustAnswer: false,
    phoneHours: [
      { days: [1, 2, 3, 4, 5], from: '09:00', to: '11:00' },
      { days: [2, 4], from: '13:00', to: '14:00' },
    ],
  },
  {
    id: 'bygglov',
    name: 'Bygg och miljö',
    queue: 'bygglov',
    mustAnswer: false,
    phoneHours: [{ days: [1, 3, 4], from: '10:00', to: '12:00' }],
  },
] as const;

export const DEMO_PEOPLE: readonly DemoPerson[] = [
  { ext: '2001', name: 'Anna Lindqvist', department: 'kontaktcenter', title: 'Kommunvägledare' },
  { ext: '2002', name: 'Erik Johansson', department: 'kontaktcenter', title: 'Kommunvägledare' },
  { ext: '2003', name: 'Maria Nilsson', department: 'kontaktcenter', title: 'Teamledare' },
  { ext: '2101', name: 'Karin Andersson', department: 'socialtjanst', title: 'Socialsekreterare' },
  { ext: '2102', name: 'Lars Eriksson', department: 'socialtjanst', title: 'Socialsekreterare' },
  { ext: '2103', name: 'Sofia Karlsson', department: 'socialtjanst', title: 'Enhetschef' },
  { ext: '2201', name: 'Johan Persson', department: 'bygglov', title: 'Bygglovshandläggare' },
  { ext: '2202', name: 'Elin Svensson', department: 'bygglov', title: 'Miljöinspektör' },
  { ext: '2203', name: 'Anders Gustafsson', department: 'bygglov', title: 'Byggnadsinspektör' },
  { ext: '2204', name: 'Ingrid Olsson', department: 'bygglov', title: 'Bygglovsarkitekt' },
];

/** The demo organisation's settings, as published in directory/org (the calendar's policy comes from it). */
export const DEMO_ORG: OrgInfo = {
  v: 1,
  name: 'Sjöviks kommun',
  greeting: 'Sjöviks kommun, du talar med …',
  timeZone: 'Europe/Stockholm',
  locale: 'sv',
  workday: { from: '08:00', to: '17:00' },
  onReturn: 'overdue',
  callback: 'next-working-day',
};

const iso = (ms: number) => new Date(ms).toISOString();

/** Everything retained that describes the organisation: who works where, phone hours. (Queues are the phone bridge's.) */
export function demoDirectory(org: string): Message[] {
  return [
    { kind: 'directory-org', org, body: DEMO_ORG },
    ...DEMO_DEPARTMENTS.map(
      (d): Message => ({
        kind: 'directory-department',
        org,
        departmentId: d.id,
        body: {
          v: 1,
          name: d.name,
          queue: d.queue,
          mustAnswer: d.mustAnswer,
          phoneHours: d.phoneHours.map((h) => ({ ...h, days: [...h.days] })),
        },
      }),
    ),
    ...DEMO_PEOPLE.map(
      (p, i): Message => ({
        kind: 'directory-person',
        org,
        ext: p.ext,
        body: {
          v: 1,
          name: p.name,
          department: p.department,
          title: p.title,
          direct: `0512-55 ${p.ext.slice(0, 2)} ${p.ext.slice(2)}`,
          mobile: `070-${String(312 + i * 7).padStart(3, '0')} ${String(10 + i * 3).padStart(2, '0')} ${String(40 + i).padStart(2, '0')}`,
          email: `${p.name
            .toLowerCase()
            .replace(' ', '.')
            .normalize('NFD')
            .replace(/[\u0300-\u036f]/g, '')}@sjovik.example`,
        },
      }),
    ),
  ];
}

export interface Traffic {
  /** One event of traffic at `now`: the messages to publish and how long until the next event. */
  step(now: number): { messages: Message[]; delayMs: number };
}

export function createTraffic(org: string, seed: number): Traffic {
  const random = rng(seed);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)] as T;
  const queues = new Map<string, { id: string; since: number }[]>(DEMO_DEPARTMENTS.map((d) => [d.queue, []]));
  let calls = 0;
  // The voicemail system's own counts: it is the only writer of voicemail/{ext}, so it never needs to
  // read what anyone else wrote (phone messages are the boards', on mwi/{ext}/msg/+).
  const voicemail = new Map<string, number>();

  return {
    step(now) {
      const roll = random();
      const messages: Message[] = [];
      if (roll < 0.6) {
        const department = pick(DEMO_DEPARTMENTS);
        const waiting = queues.get(department.queue) ?? [];
        // calls arrive a little more often than they are answered while the queue is short
        if (waiting.length === 0 || (waiting.length < 6 && random() < 0.55))
          waiting.push({ id: `sim-${seed}-${++calls}`, since: now });
        else waiting.shift();
        queues.set(department.queue, waiting);
        messages.push({
          kind: 'queue',
          org,
          queueId: department.queue,
          body: {
            v: 1,
            name: department.name,
            waiting: waiting.length,
            oldestSince: waiting[0] === undefined ? null : iso(waiting[0].since),
            at: iso(now),
            calls: waiting.map((c, i) => ({ id: c.id, position: i + 1, since: iso(c.since) })),
          },
        });
      } else {
        // a new voicemail, or the person listened to them all
        const person = pick(DEMO_PEOPLE);
        const count = voicemail.get(person.ext) ?? 0;
        const next = count > 0 && random() < 0.4 ? 0 : count + 1;
        voicemail.set(person.ext, next);
        messages.push({ kind: 'voicemail', org, ext: person.ext, body: { v: 1, count: next } });
      }
      return { messages, delayMs: 2000 + Math.floor(random() * 6000) };
    },
  };
}
