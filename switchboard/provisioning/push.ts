// `hanvisa devices assign` and `hanvisa devices import`: plan the configs, push them retained and report
// each device's answer: accepted, refused with its reason, or none yet (it applies when the device connects).
import { dirname, resolve } from 'node:path';
import type { MqttClient } from 'mqtt';
import type { DeviceConfigAck, Message, RejectionCounter } from '../../protocol/index.js';
import { type CommandIo, readTextFile } from '../broker-session.js';
import { formatTableError } from '../directory/table.js';
import {
  type Assignment,
  type Checked,
  configMessage,
  type DevicesError,
  type DevicesFile,
  planDevices,
  readDevicesCsv,
} from './assignments.js';
import type { Fleet } from './fleet.js';
import { pushConfigs } from './session.js';

/** What a push needs from the broker side: the fleet read, and the connection to push on. */
export interface PushContext {
  io: CommandIo;
  org: string;
  /** undefined on a dry run without a broker */
  client?: MqttClient | undefined;
  fleet: Fleet;
  timeoutMs: number;
  rejections: RejectionCounter;
}

/** Pushes one device's config and reports its answer. */
export function assign(ctx: PushContext, assignment: Assignment): Promise<number> {
  return push(ctx, [configMessage(ctx.org, assignment, ctx.fleet)]);
}

/** A devices CSV with the layout files its rows name, before anything connects. */
export interface DevicesInput {
  path: string;
  file: DevicesFile;
  layouts: Map<string, Checked<string>>;
}

/** Reads a devices CSV and its layout files (relative to the CSV, each once however many rows share it). */
export async function readDevicesInput(path: string): Promise<DevicesInput> {
  const file = readDevicesCsv(await readTextFile(path));
  const layouts = new Map<string, Checked<string>>();
  for (const name of new Set(file.rows.flatMap((r) => (r.layoutFile ? [r.layoutFile] : [])))) {
    try {
      layouts.set(name, { ok: true, value: await readTextFile(resolve(dirname(path), name)) });
    } catch (e) {
      // a missing layout is a bad row, not bad usage
      layouts.set(name, { ok: false, reason: (e as Error).message });
    }
  }
  return { path, file, layouts };
}

/** A devices file's errors and warnings on stderr, each with the file's path as given. */
export function reportProblems(
  io: CommandIo,
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
  io.stdout.write(`${path}: ${file.records} rows, ${plan.messages.length} valid\n`);
  if (plan.errors.length && !options.allowPartial) {
    io.stdout.write(
      `${plan.errors.length} error(s): nothing published (--allow-partial publishes the valid rows)\n`,
    );
    return 1;
  }
  if (options.dryRun || !ctx.client) {
    for (const m of plan.messages)
      io.stdout.write(
        `would assign ${m.deviceId} to ext ${m.body?.ext} as config ${ctx.client ? m.body?.version : '(next version)'}\n`,
      );
    return plan.errors.length ? 1 : 0;
  }
  const code = await push(ctx, plan.messages);
  return plan.errors.length ? 1 : code;
}

/** Pushes the configs and reports every device's answer; 0 when all accepted. */
async function push(ctx: PushContext, configs: Message<'device-config'>[]): Promise<number> {
  const { client, io } = ctx;
  if (!client) throw new Error('push needs a broker connection');
  const acks = await pushConfigs(client, ctx.org, configs, ctx.timeoutMs, ctx.rejections);
  let failed = 0;
  for (const m of configs) {
    const line = outcome(m, acks.get(m.deviceId), ctx);
    if (!line.ok) failed++;
    (line.ok ? io.stdout : io.stderr).write(`${line.text}\n`);
  }
  if (configs.length > 1)
    io.stdout.write(`${configs.length - failed} of ${configs.length} device(s) accepted their config\n`);
  return failed ? 1 : 0;
}

function outcome(
  m: Message<'device-config'>,
  ack: DeviceConfigAck | undefined,
  ctx: PushContext,
): { ok: boolean; text: string } {
  const what = `${m.deviceId}: config ${m.body?.version} (ext ${m.body?.ext})`;
  if (ack?.ok) return { ok: true, text: `${what} accepted` };
  if (ack)
    return {
      ok: false,
      text: `${what} REFUSED: ${ack.reason ?? 'no reason given'}; its last good config stays in force`,
    };
  const state = ctx.fleet.get(m.deviceId)?.state;
  const seconds = ctx.timeoutMs / 1000;
  const why =
    state === undefined
      ? 'the device has never connected; '
      : state.online
        ? 'the device is online but did not answer; '
        : 'the device is offline; ';
  return {
    ok: false,
    text: `${what}: no answer in ${seconds} s (${why}the config stays retained and applies when the device connects)`,
  };
}
