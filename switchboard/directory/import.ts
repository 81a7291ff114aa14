// Plans a directory import: CSV text in, the retained directory messages to publish (and the ones to
// clear) out. Pure: the command does the I/O. Every row goes through the contract's zod schemas; a bad
// row is reported with file, line and field and never partly applied.
import { isDeepStrictEqual } from 'node:util';
import {
  Department,
  type Department as DepartmentBody,
  DepartmentId,
  Ext,
  type Message,
  Person,
  type Person as PersonBody,
  type TopicRef,
} from '../../protocol/index.js';
import { parseCsv } from './csv.js';
import { parsePhoneHours } from './phone-hours.js';

export type DirectoryFile = 'people' | 'departments';

export interface ImportError {
  file: DirectoryFile;
  line: number;
  /** the column as written in the file's header, when the problem is in one field */
  field?: string;
  reason: string;
}

/** What the broker holds for the organisation now (retained directory messages). */
export interface ExistingDirectory {
  people: ReadonlyMap<string, PersonBody>;
  departments: ReadonlyMap<string, DepartmentBody>;
}

export interface ImportInput {
  org: string;
  people: string;
  departments?: string;
  existing?: ExistingDirectory;
  /** clear retained persons (and departments, when a departments file is given) not in the files */
  prune?: boolean;
  /** publish the good rows even when some rows are bad */
  allowPartial?: boolean;
}

export interface ImportSummary {
  people: { rows: number; valid: number };
  departments: { rows: number; valid: number };
  /** messages to publish, and valid rows left out because the broker already holds exactly them */
  publish: number;
  unchanged: number;
  remove: number;
  /** true when errors stopped the whole import (no --allow-partial) */
  blocked: boolean;
}

export interface ImportPlan {
  messages: Message[];
  removals: TopicRef[];
  errors: ImportError[];
  /** harmless oddities, e.g. a column the import does not know */
  warnings: string[];
  summary: ImportSummary;
}

interface Column {
  field: string;
  aliases: string[];
  required: boolean;
}

/** The first column is the row's key: one row per key. */
const PEOPLE_COLUMNS: Column[] = [
  { field: 'ext', aliases: ['anknytning', 'extension', 'ankn'], required: true },
  { field: 'name', aliases: ['namn', 'navn'], required: true },
  { field: 'department', aliases: ['avdelning', 'afdeling', 'dept'], required: true },
  { field: 'title', aliases: ['titel'], required: false },
  { field: 'direct', aliases: ['direkt', 'direktnummer', 'direct_number'], required: false },
  { field: 'mobile', aliases: ['mobil', 'mobilnummer'], required: false },
  { field: 'email', aliases: ['epost', 'e_post', 'e_mail', 'mail'], required: false },
];

const DEPARTMENT_COLUMNS: Column[] = [
  { field: 'id', aliases: [], required: true },
  { field: 'name', aliases: ['namn', 'navn'], required: true },
  { field: 'queue', aliases: ['kö', 'ko', 'kø'], required: false },
  {
    field: 'phone_hours',
    aliases: ['phonehours', 'telefontid', 'telefontider', 'telefontid_er'],
    required: false,
  },
  { field: 'must_answer', aliases: ['mustanswer', 'måste_svara', 'svarsplikt'], required: false },
];

/** Header cells compare case-insensitively, with spaces and dashes as underscores ("E-post" = epost). */
const normalise = (header: string) =>
  header
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');

interface Row {
  line: number;
  values: Record<string, string>;
}

interface Table {
  /** rows with all required cells, none sharing its key with another row */
  rows: Row[];
  /** data records read, including refused ones */
  records: number;
  /** every key (ext, department id) the file names, even on a refused row */
  mentioned: Set<string>;
  /** canonical field → the header as written, for error messages */
  headers: Record<string, string>;
}

function readTable(
  file: DirectoryFile,
  text: string,
  columns: Column[],
  errors: ImportError[],
  warnings: string[],
): Table {
  const csv = parseCsv(text);
  for (const e of csv.errors)
    errors.push({ file, line: e.line, reason: e.column ? `column ${e.column}: ${e.reason}` : e.reason });
  const [header, ...records] = csv.records;
  const headers: Record<string, string> = {};
  const mentioned = new Set<string>();
  if (!header) {
    if (!csv.errors.length)
      errors.push({ file, line: 1, reason: 'empty file: the first line must name the columns' });
    return { rows: [], records: 0, mentioned, headers };
  }
  const byName = new Map<string, string>();
  for (const c of columns) for (const name of [c.field, ...c.aliases]) byName.set(name, c.field);
  const fieldAt: (string | undefined)[] = header.fields.map((cell) => {
    const field = byName.get(normalise(cell));
    if (!field) {
      if (cell.trim()) warnings.push(`${file}: column ${JSON.stringify(cell)} is not used`);
      return undefined;
    }
    if (headers[field] !== undefined) {
      errors.push({ file, line: header.line, field: cell, reason: `column ${field} appears twice` });
      return undefined;
    }
    headers[field] = cell.trim();
    return field;
  });
  const missing = columns.filter((c) => c.required && headers[c.field] === undefined);
  if (missing.length) {
    errors.push({
      file,
      line: header.line,
      reason: `missing column(s): ${missing.map((c) => [c.field, ...c.aliases.slice(0, 1)].join('/')).join(', ')}`,
    });
    return { rows: [], records: records.length, mentioned, headers };
  }
  const key = (columns[0] as Column).field;
  const rows: Row[] = [];
  const linesOf = new Map<string, number[]>();
  for (const record of records) {
    const values: Record<string, string> = {};
    fieldAt.forEach((field, i) => {
      if (field) values[field] = (record.fields[i] ?? '').trim();
    });
    const id = values[key] as string;
    if (id) {
      mentioned.add(id);
      linesOf.set(id, [...(linesOf.get(id) ?? []), record.line]);
    }
    // Excel pads short rows with empty cells; only a non-empty cell beyond the header is a mistake.
    if (record.fields.slice(header.fields.length).some((f) => f.trim())) {
      errors.push({
        file,
        line: record.line,
        reason: `${record.fields.length} fields, but the header names ${header.fields.length}`,
      });
      continue;
    }
    const empty = columns.find((c) => c.required && !values[c.field]);
    if (empty) {
      errors.push({ file, line: record.line, field: headers[empty.field], reason: 'required, but empty' });
      continue;
    }
    rows.push({ line: record.line, values });
  }
  // The same key on several rows: each line names the others, and none is imported (which one is right?).
  for (const [id, lines] of linesOf) {
    if (lines.length < 2) continue;
    for (const line of lines)
      errors.push({
        file,
        line,
        field: headers[key],
        reason: `${id} appears on lines ${lines.join(', ')}; none of them is imported`,
      });
  }
  return {
    rows: rows.filter((r) => (linesOf.get(r.values[key] as string)?.length ?? 0) < 2),
    records: records.length,
    mentioned,
    headers,
  };
}

/** Optional text fields: an empty cell leaves the field out, as the contract wants. */
function optional(values: Record<string, string>, fields: string[]) {
  const out: Record<string, string> = {};
  for (const f of fields) if (values[f]) out[f] = values[f];
  return out;
}

const YES = new Set(['ja', 'j', 'yes', 'y', 'true', '1', 'x']);
const NO = new Set(['nej', 'n', 'no', 'false', '0', '']);

function schemaError(
  file: DirectoryFile,
  line: number,
  headers: Record<string, string>,
  issue: { path: PropertyKey[]; message: string } | undefined,
  fieldOf: Record<string, string> = {},
): ImportError {
  const key = String(issue?.path[0] ?? '');
  const field = headers[fieldOf[key] ?? key];
  return { file, line, ...(field ? { field } : {}), reason: issue?.message ?? 'invalid row' };
}

export function planImport(input: ImportInput): ImportPlan {
  const { org } = input;
  const errors: ImportError[] = [];
  const warnings: string[] = [];
  const existing = input.existing ?? { people: new Map(), departments: new Map() };

  // Departments first: people are checked against them.
  const departments = new Map<string, DepartmentBody>();
  let mentionedDepartments = new Set<string>();
  let departmentRows = 0;
  if (input.departments !== undefined) {
    const table = readTable('departments', input.departments, DEPARTMENT_COLUMNS, errors, warnings);
    departmentRows = table.records;
    mentionedDepartments = table.mentioned;
    for (const { line, values } of table.rows) {
      const id = values.id as string;
      const hours = parsePhoneHours(values.phone_hours ?? '');
      if (!hours.ok) {
        errors.push({ file: 'departments', line, field: table.headers.phone_hours, reason: hours.reason });
        continue;
      }
      const answer = (values.must_answer ?? '').toLowerCase();
      if (!YES.has(answer) && !NO.has(answer)) {
        errors.push({
          file: 'departments',
          line,
          field: table.headers.must_answer,
          reason: `${JSON.stringify(values.must_answer)}: expected ja/nej, yes/no or true/false`,
        });
        continue;
      }
      if (!DepartmentId.safeParse(id).success) {
        errors.push({
          file: 'departments',
          line,
          field: table.headers.id,
          reason: `${JSON.stringify(id)}: lower-case letters, digits, _ and -, starting with a letter or digit`,
        });
        continue;
      }
      const parsed = Department.safeParse({
        v: 1,
        name: values.name,
        ...optional(values, ['queue']),
        phoneHours: hours.value,
        mustAnswer: YES.has(answer),
      });
      if (!parsed.success) {
        errors.push(
          schemaError('departments', line, table.headers, parsed.error.issues[0], {
            phoneHours: 'phone_hours',
          }),
        );
        continue;
      }
      departments.set(id, parsed.data);
    }
  }

  const table = readTable('people', input.people, PEOPLE_COLUMNS, errors, warnings);
  const removeDepartments =
    input.prune && input.departments !== undefined
      ? [...existing.departments.keys()].filter((id) => !mentionedDepartments.has(id))
      : [];
  // A person may name a department from the file or one the broker keeps.
  const known = new Set([...departments.keys(), ...existing.departments.keys()]);
  for (const id of removeDepartments) known.delete(id);
  const people: { ext: string; body: PersonBody }[] = [];
  for (const { line, values } of table.rows) {
    const ext = values.ext as string;
    if (!Ext.safeParse(ext).success) {
      errors.push({
        file: 'people',
        line,
        field: table.headers.ext,
        reason: `${JSON.stringify(ext)}: extension must be 1-15 digits`,
      });
      continue;
    }
    const parsed = Person.safeParse({
      v: 1,
      name: values.name,
      department: values.department,
      ...optional(values, ['title', 'direct', 'mobile', 'email']),
    });
    if (!parsed.success) {
      errors.push(schemaError('people', line, table.headers, parsed.error.issues[0]));
      continue;
    }
    if (!known.has(parsed.data.department)) {
      errors.push({
        file: 'people',
        line,
        field: table.headers.department,
        reason: mentionedDepartments.has(parsed.data.department)
          ? `department ${parsed.data.department} is not imported: its own row is invalid`
          : `unknown department ${JSON.stringify(parsed.data.department)}${
              input.departments === undefined ? ' (not on the broker; give the departments file)' : ''
            }`,
      });
      continue;
    }
    people.push({ ext, body: parsed.data });
  }

  errors.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file === 'departments' ? -1 : 1));
  const blocked = errors.length > 0 && !input.allowPartial;
  const messages: Message[] = [];
  let unchanged = 0;
  for (const [departmentId, body] of departments) {
    if (isDeepStrictEqual(existing.departments.get(departmentId), body)) unchanged++;
    else messages.push({ kind: 'directory-department', org, departmentId, body });
  }
  for (const { ext, body } of people) {
    if (isDeepStrictEqual(existing.people.get(ext), body)) unchanged++;
    else messages.push({ kind: 'directory-person', org, ext, body });
  }
  // A bad row still names its ext: pruning must not remove the person the file meant to update.
  const removals: TopicRef[] = input.prune
    ? [
        ...[...existing.people.keys()]
          .filter((ext) => !table.mentioned.has(ext))
          .map((ext): TopicRef => ({ kind: 'directory-person', org, ext })),
        ...removeDepartments.map(
          (departmentId): TopicRef => ({ kind: 'directory-department', org, departmentId }),
        ),
      ]
    : [];

  return {
    messages: blocked ? [] : messages,
    removals: blocked ? [] : removals,
    errors,
    warnings,
    summary: {
      people: { rows: table.records, valid: people.length },
      departments: { rows: departmentRows, valid: departments.size },
      publish: blocked ? 0 : messages.length,
      unchanged,
      remove: blocked ? 0 : removals.length,
      blocked,
    },
  };
}
