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
import { parsePhoneHours } from './phone-hours.js';
import { type Column, readTable, type TableError } from './table.js';

export type DirectoryFile = 'people' | 'departments';

export type ImportError = TableError<DirectoryFile>;

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
