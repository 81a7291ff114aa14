// Which desk serves which extension with which keys: IT's assignments, from the command line or a
// devices CSV, turned into the device configs to push. Pure: the command reads the files and the broker.
import { ConfigFileError, parseJsonText } from '../../config/json-file.js';
import { Ext, KeyLayout, type Message, QueueId, SEGMENT_PATTERNS } from '../../protocol/index.js';
import { type Column, readTable, type TableError } from '../directory/table.js';
import type { Checked } from './checked.js';
import { type ConfigChange, mergeConfig } from './config-merge.js';
import { type Fleet, nextVersion } from './fleet.js';

/** A device and what to change in its config; what is left undefined is kept. */
export interface Assignment extends ConfigChange {
  deviceId: string;
}

/** A layout file's text: JSON of `{keys: [...], leds: [...]}` as in docs/protocol.md's device-config. */
export function parseLayout(text: string, where: string): Checked<KeyLayout> {
  try {
    return { ok: true, value: parseJsonText(text, KeyLayout, where) };
  } catch (e) {
    if (e instanceof ConfigFileError) return { ok: false, reason: e.message };
    throw e;
  }
}

/** Why an assignment's names cannot go on the wire; undefined when they can. */
export function assignmentProblem(a: Omit<Assignment, 'layout'>): string | undefined {
  if (!SEGMENT_PATTERNS.deviceId.test(a.deviceId))
    return `device ${JSON.stringify(a.deviceId)}: lower-case letters, digits, _ and -, at most 64`;
  if (a.ext !== undefined && !Ext.safeParse(a.ext).success)
    return `ext ${JSON.stringify(a.ext)}: 1-15 digits`;
  if (typeof a.forwardTo === 'string' && !Ext.safeParse(a.forwardTo).success)
    return `forward-to ${JSON.stringify(a.forwardTo)}: 1-15 digits`;
  const queues = a.queues ?? [];
  const queue = queues.find((q) => !QueueId.safeParse(q).success);
  if (queue !== undefined) return `queue ${JSON.stringify(queue)}: lower-case letters, digits, _ and -`;
  if (queues.length > 16) return `${queues.length} queues: at most 16`;
  return undefined;
}

/** A config to push, with what it changes against the device's retained one. */
export interface PlannedConfig {
  message: Message<'device-config'>;
  summary: string;
}

/** The retained config message for an assignment, one version above what the broker shows. */
export function configMessage(org: string, a: Assignment, fleet: Fleet): Checked<PlannedConfig> {
  const standing = fleet.get(a.deviceId);
  const merged = mergeConfig(standing, a, nextVersion(standing));
  if (!merged.ok) return merged;
  const message: Message<'device-config'> = {
    kind: 'device-config',
    org,
    deviceId: a.deviceId,
    body: merged.value.config,
  };
  return { ok: true, value: { message, summary: merged.value.summary } };
}

export type DevicesError = TableError<'devices'>;

/** A devices CSV row: the layout is still a file name, relative to the CSV's folder, or 'default'. */
export interface DeviceRow extends Omit<Assignment, 'layout'> {
  line: number;
  /** the row's org cell, or --org when it is empty */
  org: string;
  ext: string;
  layoutFile?: string | undefined;
}

/** An empty cell keeps the device's setting; this one clears forward-to or queues. */
export const CLEAR = '-';

const DEVICE_COLUMNS: Column[] = [
  { field: 'device', aliases: ['device_id', 'deviceid', 'enhet', 'enhed'], required: true },
  { field: 'ext', aliases: ['anknytning', 'extension', 'ankn'], required: true },
  { field: 'layout', aliases: ['layout_file', 'layoutfil', 'tangenter'], required: false },
  { field: 'forward_to', aliases: ['forwardto', 'vidarekoppla', 'viderestil'], required: false },
  { field: 'queues', aliases: ['queue', 'köer', 'kö', 'køer', 'kø'], required: false },
  // one file for every organisation on a broker: its ACL is one file
  { field: 'org', aliases: ['organisation', 'organization', 'kommun', 'kommune'], required: false },
];

export interface DevicesFile {
  rows: DeviceRow[];
  /** data records read, including refused ones */
  records: number;
  errors: DevicesError[];
  warnings: string[];
  /** whether the file has an org column */
  orgColumn: boolean;
}

/**
 * Reads a devices CSV (`,` or `;`); a bad row is reported with its line and left out. A row without an
 * org cell is in `defaultOrg` (--org).
 */
export function readDevicesCsv(text: string, defaultOrg?: string): DevicesFile {
  const errors: DevicesError[] = [];
  const warnings: string[] = [];
  const table = readTable('devices', text, DEVICE_COLUMNS, errors, warnings);
  const rows: DeviceRow[] = [];
  const deviceOfExt = new Map<string, string>();
  for (const { line, values } of table.rows) {
    const row: DeviceRow = {
      line,
      org: values.org || (defaultOrg ?? ''),
      deviceId: values.device as string,
      ext: values.ext as string,
      layoutFile: values.layout || undefined,
      forwardTo: values.forward_to === CLEAR ? null : values.forward_to || undefined,
      queues:
        values.queues === CLEAR
          ? []
          : values.queues
            ? values.queues.split(/[\s,]+/).filter(Boolean)
            : undefined,
    };
    const problem = orgProblem(row.org) ?? assignmentProblem(row);
    if (problem) {
      errors.push({ file: 'devices', line, reason: problem });
      continue;
    }
    // the same extension in two organisations is two people
    const key = `${row.org}/${row.ext}`;
    const other = deviceOfExt.get(key);
    if (other) warnings.push(`devices:${line}: ext ${row.ext} is also on ${other}: two desks for one person`);
    deviceOfExt.set(key, row.deviceId);
    rows.push(row);
  }
  errors.sort((a, b) => a.line - b.line);
  return { rows, records: table.records, errors, warnings, orgColumn: table.headers.org !== undefined };
}

function orgProblem(org: string): string | undefined {
  if (org === '') return 'org: empty, and no --org given';
  if (!SEGMENT_PATTERNS.org.test(org))
    return `org ${JSON.stringify(org)}: lower-case letters, digits and -, at most 32`;
  return undefined;
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
): { planned: PlannedConfig[]; errors: DevicesError[]; otherOrgs: DeviceRow[] } {
  const errors = [...file.errors];
  const planned: PlannedConfig[] = [];
  // A file of several organisations (for their one ACL) is imported one organisation at a time.
  const otherOrgs = file.rows.filter((r) => r.org !== org);
  for (const row of file.rows) {
    if (row.org !== org) continue;
    let layout: KeyLayout | 'default' | undefined;
    if (row.layoutFile === 'default') layout = 'default';
    else if (row.layoutFile !== undefined) {
      const where = `layout ${row.layoutFile}`;
      const text = layouts.get(row.layoutFile) ?? { ok: false, reason: 'not read' };
      const parsed: Checked<KeyLayout> = text.ok
        ? parseLayout(text.value, where)
        : { ok: false, reason: `${where}: ${text.reason}` };
      if (!parsed.ok) {
        errors.push({ file: 'devices', line: row.line, reason: parsed.reason });
        continue;
      }
      layout = parsed.value;
    }
    const { line: _, layoutFile: __, org: ___, ...assignment } = row;
    const config = configMessage(org, { ...assignment, layout }, fleet);
    if (config.ok) planned.push(config.value);
    else errors.push({ file: 'devices', line: row.line, reason: config.reason });
  }
  errors.sort((a, b) => a.line - b.line);
  return { planned, errors, otherOrgs };
}
