// `hanvisa devices assign` and `hanvisa devices import`: plan the configs, push them retained and report
// each device's answer: accepted, refused with its reason, or none yet (it applies when the device connects).
import { dirname, resolve } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { CommandContext } from '../../cli/context.js';
import { readTextFile } from '../../config/text-file.js';
import type { DeviceConfig, RejectionCounter } from '../../protocol/index.js';
import { formatTableError } from '../directory/table.js';
import {
  type Assignment,
  configMessage,
  type DevicesError,
  type DevicesFile,
  type PlannedConfig,
  planDevices,
  readDevicesCsv,
} from './assignments.js';
import type { Checked } from './checked.js';
import { pushConfigs } from './device-exchange.js';
import type { Fleet } from './fleet.js';

/** What a push needs from the broker side: the fleet read, and the connection to push on. */
export interface PushContext {
  io: CommandContext;
  org: string;
  /** undefined on a dry run without a broker */
  client?: MqttClient | undefined;
  fleet: Fleet;
  timeoutMs: number;
  rejections: RejectionCounter;
  /** results as JSON on stdout, for scripts; the problems still go to stderr */
  json: boolean;
}

/** One device's config push, as `--json` prints it. */
export interface PushResult {
  device: string;
  /** null on a dry run without a broker: the versions are not known */
  version: number | null;
  ext: string;
  /** what changed against its retained config, e.g. "ext 4711 → 4712; queues kept: vaxel" */
  change: string;
  config: DeviceConfig;
  outcome: 'accepted' | 'refused' | 'no answer' | 'dry run';
  reason: string | null;
}

/** Pushes one device's config and reports its answer. */
export async function assign(ctx: PushContext, assignment: Assignment): Promise<number> {
  const planned = configMessage(ctx.org, assignment, ctx.fleet);
  if (!planned.ok) {
    ctx.io.stderr.write(`${assignment.deviceId}: ${planned.reason}; nothing published\n`);
    return 1;
  }
  const results = await push(ctx, [planned.value]);
  if (ctx.json) writeJson(ctx.io, results);
  return results.every((r) => r.outcome === 'accepted') ? 0 : 1;
}

/** A devices CSV with the layout files its rows name, before anything connects. */
export interface DevicesInput {
  path: string;
  file: DevicesFile;
  layouts: Map<string, Checked<string>>;
}

/** Reads a devices CSV and its layout files (relative to the CSV, each once however many rows share it). */
export async function readDevicesInput(path: string, org: string): Promise<DevicesInput> {
  const file = readDevicesCsv(readTextFile(path, 'devices file'), org);
  const layouts = new Map<string, Checked<string>>();
  const named = file.rows.flatMap((r) =>
    r.org === org && r.layoutFile && r.layoutFile !== 'default' ? [r.layoutFile] : [],
  );
  for (const name of new Set(named)) {
    try {
      layouts.set(name, { ok: true, value: readTextFile(resolve(dirname(path), name), 'layout file') });
    } catch (e) {
      // a missing layout is a bad row, not bad usage
      layouts.set(name, { ok: false, reason: (e as Error).message });
    }
  }
  return { path, file, layouts };
}

/** A devices file's errors and warnings on stderr, each with the file's path as given. */
export function reportProblems(
  io: CommandContext,
  path: string,
  errors: DevicesError[],
  warnings: string[],
): void {
  for (const e of errors) io.stderr.write(formatTableError(path, e));
  // the planner names the file "devices"; the user knows it by its path
  for (const w of warnings) io.stderr.write(`warning: ${w.replace(/^devices:/, `${path}:`)}\n`);
}

export async function importDevices(
  ctx: PushContext,
  { path, file, layouts }: DevicesInput,
  options: { dryRun: boolean; allowPartial: boolean },
): Promise<number> {
  const { io } = ctx;
  const plan = planDevices(ctx.org, file, layouts, ctx.fleet);
  reportProblems(io, path, plan.errors, file.warnings);
  const text = (line: string) => {
    if (!ctx.json) io.stdout.write(line);
  };
  const report = (published: boolean, results: PushResult[]) => {
    if (ctx.json)
      writeJson(io, {
        file: path,
        rows: file.records,
        valid: plan.planned.length,
        otherOrgs: plan.otherOrgs.length,
        errors: plan.errors.map(({ line, field, reason }) => ({ line, field: field ?? null, reason })),
        published,
        results,
      });
  };
  text(`${path}: ${file.records} rows, ${plan.planned.length} valid\n`);
  if (plan.otherOrgs.length) {
    const orgs = [...new Set(plan.otherOrgs.map((r) => r.org))].join(', ');
    text(`${plan.otherOrgs.length} row(s) of other organisations left alone (${orgs})\n`);
  }
  if (plan.errors.length && !options.allowPartial) {
    text(`${plan.errors.length} error(s): nothing published (--allow-partial publishes the valid rows)\n`);
    report(false, []);
    return 1;
  }
  if (options.dryRun || !ctx.client) {
    const results = plan.planned.map((p) => result(p, 'dry run', null, ctx.client !== undefined));
    for (const r of results)
      text(`would assign ${r.device} as config ${r.version ?? '(next version)'}: ${r.change}\n`);
    report(false, results);
    return plan.errors.length ? 1 : 0;
  }
  const results = await push(ctx, plan.planned);
  const accepted = results.filter((r) => r.outcome === 'accepted').length;
  if (results.length > 1) text(`${accepted} of ${results.length} device(s) accepted their config\n`);
  report(true, results);
  return plan.errors.length || accepted < results.length ? 1 : 0;
}

export function writeJson(io: CommandContext, value: unknown): void {
  io.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
}

function result(
  { message, summary }: PlannedConfig,
  outcome: PushResult['outcome'],
  reason: string | null,
  versionKnown = true,
): PushResult {
  const config = message.body as DeviceConfig;
  return {
    device: message.deviceId,
    version: versionKnown ? config.version : null,
    ext: config.ext,
    change: summary,
    config,
    outcome,
    reason,
  };
}

/** Pushes the configs and reports every device's answer (a line each, unless --json). */
async function push(ctx: PushContext, planned: PlannedConfig[]): Promise<PushResult[]> {
  const { client, io } = ctx;
  if (!client) throw new Error('push needs a broker connection');
  const messages = planned.map((p) => p.message);
  const acks = await pushConfigs(client, ctx.org, messages, ctx.timeoutMs, ctx.rejections);
  return planned.map((p) => {
    const ack = acks.get(p.message.deviceId);
    const r = ack
      ? result(p, ack.ok ? 'accepted' : 'refused', ack.ok ? null : (ack.reason ?? 'no reason given'))
      : result(p, 'no answer', noAnswer(ctx, p.message.deviceId));
    if (!ctx.json) (r.outcome === 'accepted' ? io.stdout : io.stderr).write(`${outcomeLine(r)}\n`);
    return r;
  });
}

function outcomeLine(r: PushResult): string {
  const what = `${r.device}: config ${r.version} (${r.change})`;
  if (r.outcome === 'accepted') return `${what} accepted`;
  if (r.outcome === 'refused') return `${what} REFUSED: ${r.reason}; its last good config stays in force`;
  return `${what}: ${r.reason}`;
}

function noAnswer(ctx: PushContext, deviceId: string): string {
  const state = ctx.fleet.get(deviceId)?.state;
  const why =
    state === undefined
      ? 'the device has never connected; '
      : state.online
        ? 'the device is online but did not answer; '
        : 'the device is offline; ';
  return `no answer in ${ctx.timeoutMs / 1000} s (${why}the config stays retained and applies when the device connects)`;
}
