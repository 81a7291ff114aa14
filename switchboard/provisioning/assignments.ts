// Which desk serves which extension with which keys: IT's assignments, from the command line or a
// devices CSV, turned into the device configs to push. Pure: the command reads the files and the broker.
import { DEFAULT_LAYOUT } from '../../agent/domain/layouts.js';
import {
  type DeviceConfig,
  Ext,
  KeyLayout,
  type Message,
  QueueId,
  SEGMENT_PATTERNS,
} from '../../protocol/index.js';
import { type Column, readTable, type TableError } from '../directory/table.js';
import { type Fleet, nextVersion } from './fleet.js';

export interface Assignment {
  deviceId: string;
  ext: string;
  /** undefined: the agent's default layout */
  layout?: KeyLayout | undefined;
  forwardTo?: string | undefined;
  queues: string[];
}

export type Checked<T> = { ok: true; value: T } | { ok: false; reason: string };

const issue = (e: { issues: { path: PropertyKey[]; message: string }[] }) => {
  const first = e.issues[0];
  return first ? `${first.path.length ? `${first.path.join('.')}: ` : ''}${first.message}` : 'invalid';
};

/** A layout file's text: JSON of `{keys: [...], leds: [...]}` as in docs/protocol.md's device-config. */
export function parseLayout(text: string): Checked<KeyLayout> {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (e) {
    return { ok: false, reason: `not JSON: ${(e as Error).message}` };
  }
  const parsed = KeyLayout.safeParse(json);
  return parsed.success ? { ok: true, value: parsed.data } : { ok: false, reason: issue(parsed.error) };
}

/** Why an assignment's names cannot go on the wire; undefined when they can. */
export function assignmentProblem(a: Omit<Assignment, 'layout'>): string | undefined {
  if (!SEGMENT_PATTERNS.deviceId.test(a.deviceId))
    return `device ${JSON.stringify(a.deviceId)}: lower-case letters, digits, _ and -, at most 64`;
  if (!Ext.safeParse(a.ext).success) return `ext ${JSON.stringify(a.ext)}: 1-15 digits`;
  if (a.forwardTo !== undefined && !Ext.safeParse(a.forwardTo).success)
    return `forward-to ${JSON.stringify(a.forwardTo)}: 1-15 digits`;
  const queue = a.queues.find((q) => !QueueId.safeParse(q).success);
  if (queue !== undefined) return `queue ${JSON.stringify(queue)}: lower-case letters, digits, _ and -`;
  if (a.queues.length > 16) return `${a.queues.length} queues: at most 16`;
  return undefined;
}

/** The whole config a device gets: what is not assigned takes the agent's defaults. */
export function deviceConfig(a: Assignment, version: number): DeviceConfig {
  return {
    v: 1,
    version,
    ext: a.ext,
    layout: a.layout ?? DEFAULT_LAYOUT,
    ...(a.forwardTo !== undefined ? { forwardTo: a.forwardTo } : {}),
    queues: a.queues,
  };
}

/** The retained config message for an assignment, one version above what the broker shows. */
export function configMessage(org: string, a: Assignment, fleet: Fleet): Message<'device-config'> {
  return {
    kind: 'device-config',
    org,
    deviceId: a.deviceId,
    body: deviceConfig(a, nextVersion(fleet.get(a.deviceId))),
  };
}

export type DevicesError = TableError<'devices'>;

/** A devices CSV row: the layout is still a file name, relative to the CSV's folder. */
export interface DeviceRow extends Omit<Assignment, 'layout'> {
  line: number;
  layoutFile?: string | undefined;
}

const DEVICE_COLUMNS: Column[] = [
  { field: 'device', aliases: ['device_id', 'deviceid', 'enhet', 'enhed'], required: true },
  { field: 'ext', aliases: ['anknytning', 'extension', 'ankn'], required: true },
  { field: 'layout', aliases: ['layout_file', 'layoutfil', 'tangenter'], required: false },
  { field: 'forward_to', aliases: ['forwardto', 'vidarekoppla', 'viderestil'], required: false },
  { field: 'queues', aliases: ['queue', 'köer', 'kö', 'køer', 'kø'], required: false },
];

export interface DevicesFile {
  rows: DeviceRow[];
  /** data records read, including refused ones */
  records: number;
  errors: DevicesError[];
  warnings: string[];
}

/** Reads a devices CSV (`,` or `;`); a bad row is reported with its line and left out. */
export function readDevicesCsv(text: string): DevicesFile {
  const errors: DevicesError[] = [];
  const warnings: string[] = [];
  const table = readTable('devices', text, DEVICE_COLUMNS, errors, warnings);
  const rows: DeviceRow[] = [];
  const deviceOfExt = new Map<string, string>();
  for (const { line, values } of table.rows) {
    const row: DeviceRow = {
      line,
      deviceId: values.device as string,
      ext: values.ext as string,
      layoutFile: values.layout || undefined,
      forwardTo: values.forward_to || undefined,
      queues: (values.queues ?? '').split(/[\s,]+/).filter(Boolean),
    };
    const problem = assignmentProblem(row);
    if (problem) {
      errors.push({ file: 'devices', line, reason: problem });
      continue;
    }
    const other = deviceOfExt.get(row.ext);
    if (other) warnings.push(`devices:${line}: ext ${row.ext} is also on ${other}: two desks for one person`);
    deviceOfExt.set(row.ext, row.deviceId);
    rows.push(row);
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, records: table.records, errors, warnings };
}

/**
 * The configs for a devices file, once its layout files are read: `layouts` maps each file the rows
 * name to its text, or to why it could not be read. A row whose layout is bad is an error of that row.
 */
export function planDevices(
  org: string,
  file: DevicesFile,
  layouts: ReadonlyMap<string, Checked<string>>,
  fleet: Fleet,
): { messages: Message<'device-config'>[]; errors: DevicesError[] } {
  const errors = [...file.errors];
  const messages: Message<'device-config'>[] = [];
  for (const row of file.rows) {
    let layout: KeyLayout | undefined;
    if (row.layoutFile !== undefined) {
      const text = layouts.get(row.layoutFile) ?? { ok: false, reason: 'not read' };
      const parsed = text.ok ? parseLayout(text.value) : text;
      if (!parsed.ok) {
        errors.push({
          file: 'devices',
          line: row.line,
          reason: `layout ${row.layoutFile}: ${parsed.reason}`,
        });
        continue;
      }
      layout = parsed.value;
    }
    const { line: _, layoutFile: __, ...assignment } = row;
    messages.push(configMessage(org, { ...assignment, layout }, fleet));
  }
  errors.sort((a, b) => a.line - b.line);
  return { messages, errors };
}
