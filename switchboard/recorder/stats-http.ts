// The board's statistics routes, for operators and IT (viewers never): the page (/stats and its own
// files under /stats/assets/, apart from the board's page), /api/stats (JSON) and /api/stats.csv.
// Per-person figures only for operators, who already see each person's referral; IT sees departments.
import { readFileSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { packageDir } from '../../config/package.js';
import {
  DEFAULT_LANGUAGE,
  DEFAULT_REASONS,
  isLanguage,
  type ReasonDefinition,
  SEGMENT_PATTERNS,
} from '../../protocol/index.js';
import { canSeeOrg, type Role, type Session } from '../auth/index.js';
import { HttpError } from '../http-body.js';
import { readBundle } from '../web-assets/bundles.js';
import { reportCsv } from './figures/csv.js';
import { dayKey } from './figures/periods.js';
import { DEFAULT_MIN_GROUP_SIZE, reasonColumns, withPrivateReasonsHidden } from './figures/reason-columns.js';
import type { AnswerTarget, Period } from './figures/report.js';
import { DEFAULT_HEARTBEAT_MS } from './options.js';
import { statsReport } from './stats.js';
import type { Storage } from './storage/port.js';
import type { TodayFigures } from './today.js';
import { statsText } from './web/stats-text.js';

export const STATS_ROLES: readonly Role[] = ['operator', 'it'];
export const PERSONAL_FIGURES_ROLES: readonly Role[] = ['operator'];
/** the longest range one request may ask for */
const MAX_DAYS = 400;

export interface StatsDirectory {
  /** organisations the board knows, with name and zone (directory/org) */
  orgs(): { id: string; name: string; timeZone: string }[];
  departments(org: string): { id: string; name: string }[];
  /** the organisation's reason catalogue (directory/org), if it published one */
  reasons(org: string): readonly ReasonDefinition[] | undefined;
  /** the person's name at an extension, as the directory has it */
  personName(org: string, ext: string): string | null;
  /** the organisation's "answer within N rings" (directory/org `answerWithin`), if it set one */
  answerTarget?(org: string): AnswerTarget | undefined;
  /** how many people each department of the organisation has (the directory's); none known: 0 */
  headcounts?(org: string): Record<string, number>;
  /**
   * "answered within" counts calls up to the queue threshold (rules/queue-threshold.ts): the
   * department's queue's `alarmSeconds`, else the organisation's `queueAlarmSeconds`, as on desk and board
   */
  queueAlarmSeconds(org: string, department: string | undefined): number;
}

export interface StatsRoutesOptions {
  storage: Storage;
  /** today's figures kept over `storage` between requests: one per store (the board shares it) */
  today: TodayFigures;
  directory: StatsDirectory;
  now?: () => number;
  /** the recorder's heartbeat (default 30 s), to tell a running recorder from a crashed one */
  heartbeatMs?: number;
  /** private reasons (sick, vacation) show only for groups of at least this many people (default 5) */
  minGroupSize?: number;
}

export interface StatsRoutes {
  matches(path: string): boolean;
  handle(req: IncomingMessage, res: ServerResponse, url: URL, session: Session): Promise<void>;
}

const require = createRequire(import.meta.url);
const TYPES: Record<string, string> = {
  js: 'text/javascript; charset=utf-8',
  css: 'text/css; charset=utf-8',
  html: 'text/html; charset=utf-8',
};

function loadFiles(): Map<string, { type: string; body: Buffer }> {
  const web = packageDir('switchboard', 'recorder', 'web');
  const files: [string, string][] = [
    ['stats.html', join(web, 'stats.html')],
    ['stats.css', join(web, 'stats.css')],
    ['uPlot.iife.min.js', require.resolve('uplot/dist/uPlot.iife.min.js')],
    ['uPlot.min.css', require.resolve('uplot/dist/uPlot.min.css')],
  ];
  const typeOf = (name: string) => TYPES[name.split('.').pop() ?? ''] ?? 'application/octet-stream';
  const loaded = new Map<string, { type: string; body: Buffer }>(
    files.map(([name, path]) => [name, { type: typeOf(name), body: readFileSync(path) }]),
  );
  loaded.set('stats.js', { type: typeOf('stats.js'), body: readBundle(join('recorder', 'stats.js')) });
  return loaded;
}

const DAY = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const PARAMS = new Set(['org', 'from', 'to', 'period', 'department', 'lang']);

function send(
  req: IncomingMessage,
  res: ServerResponse,
  type: string,
  body: string | Buffer,
  download?: string,
): void {
  const bytes = typeof body === 'string' ? Buffer.from(body) : body;
  res.setHeader('Content-Type', type);
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('Content-Length', bytes.length);
  if (download) res.setHeader('Content-Disposition', `attachment; filename="${download}"`);
  res.end(req.method === 'HEAD' ? undefined : bytes);
}

export function createStatsRoutes(options: StatsRoutesOptions): StatsRoutes {
  const files = loadFiles();
  const now = options.now ?? Date.now;

  const query = (url: URL, session: Session) => {
    for (const name of url.searchParams.keys())
      if (!PARAMS.has(name))
        throw new HttpError(400, `unknown query parameter ${JSON.stringify(name.slice(0, 40))}`);
    const visible = options.directory.orgs().filter((o) => canSeeOrg(session, o.id));
    const org = url.searchParams.get('org') ?? visible[0]?.id;
    if (!org || !SEGMENT_PATTERNS.org.test(org))
      throw new HttpError(400, 'org: give an organisation (?org=)');
    if (!canSeeOrg(session, org)) throw new HttpError(403, `not your organisation: ${org}`);
    const timeZone = visible.find((o) => o.id === org)?.timeZone ?? 'Europe/Stockholm';
    const today = dayKey(now(), timeZone);
    const to = url.searchParams.get('to') ?? today;
    const from = url.searchParams.get('from') ?? to;
    for (const [name, day] of [
      ['from', from],
      ['to', to],
    ] as const)
      if (!DAY.test(day) || Number.isNaN(Date.parse(day)))
        throw new HttpError(400, `${name}: a day YYYY-MM-DD`);
    // the code lets the page say it in its own language
    if (from > to) throw new HttpError(400, 'from is after to', 'from', 'from-after-to');
    if ((Date.parse(to) - Date.parse(from)) / 86_400_000 >= MAX_DAYS)
      throw new HttpError(400, `at most ${MAX_DAYS} days at a time`);
    const period = (url.searchParams.get('period') ?? 'day') as Period;
    if (!['day', 'week', 'month'].includes(period)) throw new HttpError(400, 'period: day, week or month');
    const department = url.searchParams.get('department') || undefined;
    if (department !== undefined && !SEGMENT_PATTERNS.departmentId.test(department))
      throw new HttpError(400, 'department: a department id');
    const lang = url.searchParams.get('lang');
    if (lang !== null && !isLanguage(lang)) throw new HttpError(400, 'lang: sv, da or en');
    return { org, from, to, period, department, timeZone, lang: lang ?? undefined };
  };

  return {
    matches: (path) =>
      path === '/stats' ||
      path.startsWith('/stats/assets/') ||
      path === '/api/stats' ||
      path === '/api/stats.csv',
    async handle(req, res, url, session) {
      if (req.method !== 'GET' && req.method !== 'HEAD') {
        res.setHeader('Allow', 'GET, HEAD');
        throw new HttpError(405, `method ${String(req.method).slice(0, 10)} not allowed here`);
      }
      const path = url.pathname;
      if (path === '/stats' || path.startsWith('/stats/assets/')) {
        const file = files.get(path === '/stats' ? 'stats.html' : path.slice('/stats/assets/'.length));
        if (!file) throw new HttpError(404, 'no such file');
        return send(req, res, file.type, file.body);
      }
      const { lang, ...q } = query(url, session);
      const people = PERSONAL_FIGURES_ROLES.includes(session.role);
      const full = await statsReport(
        options.storage,
        {
          ...q,
          people,
          now: now(),
          thresholdSeconds: options.directory.queueAlarmSeconds(q.org, q.department),
          answer: options.directory.answerTarget?.(q.org),
          heartbeatMs: options.heartbeatMs ?? DEFAULT_HEARTBEAT_MS,
        },
        options.today,
      );
      const { directory } = options;
      const reasons = reasonColumns(
        full,
        directory.reasons(q.org) ?? DEFAULT_REASONS,
        lang ?? DEFAULT_LANGUAGE,
      );
      const departments = directory.headcounts?.(q.org) ?? {};
      const total =
        q.department !== undefined
          ? (departments[q.department] ?? 0)
          : Object.values(departments).reduce((a, b) => a + b, 0);
      const minGroupSize = options.minGroupSize ?? DEFAULT_MIN_GROUP_SIZE;
      const report = withPrivateReasonsHidden(full, reasons, { total, departments }, minGroupSize);
      const names = Object.fromEntries(directory.departments(q.org).map((d) => [d.id, d.name]));
      const personNames: Record<string, string> = {};
      for (const p of report.people ?? []) {
        const name = directory.personName(q.org, p.ext);
        if (name) personNames[p.ext] = name;
      }
      if (path === '/api/stats.csv') {
        const text = (key: string) =>
          statsText(lang ?? DEFAULT_LANGUAGE, key, {
            s: report.thresholdSeconds,
            n: report.answer.rings,
            k: minGroupSize,
          });
        const csv = reportCsv(report, {
          reasons,
          departments: names,
          people: personNames,
          ...(lang ? { human: { lang, text } } : {}),
        });
        return send(req, res, 'text/csv; charset=utf-8', csv, `hanvisa-${q.org}-${q.from}-${q.to}.csv`);
      }
      const orgs = directory.orgs().filter((o) => canSeeOrg(session, o.id));
      return send(
        req,
        res,
        'application/json; charset=utf-8',
        JSON.stringify({
          ...report,
          names,
          personNames,
          reasons,
          orgs,
          personal: people,
          minGroupSize,
          timeZone: q.timeZone,
        }),
      );
    },
  };
}
