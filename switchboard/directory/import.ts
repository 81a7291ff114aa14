// Plans a directory import: CSV text in (whole, or in pieces for a large file), the retained directory
// messages to publish (and the ones to clear) out. Pure: the command does the I/O. Every row goes through the contract's zod schemas; a bad
// row is reported with file, line and field and never partly applied.
import { createHash } from 'node:crypto';
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
import { NO, PERSON_RULE_COLUMNS, personRuleFields, YES } from './person-fields.js';
import { parsePhoneHours } from './phone-hours.js';
import { type Column, Refusal, type Row, type StreamedTable, type TableError, TableReader } from './table.js';

export type DirectoryFile = 'people' | 'departments';

export type ImportError = TableError<DirectoryFile>;

/**
 * What the broker holds for the organisation now (retained directory messages): each person's and
 * department's body as its fingerprint, so that 200,000 people on the broker take little memory.
 */
export interface ExistingDirectory {
  people: ReadonlyMap<string, string>;
  departments: ReadonlyMap<string, string>;
}

/**
 * A body's fingerprint: equal for equal bodies, because every body is the contract schema's output
 * (decoded from the broker, or checked from the file), whose keys come in the schema's order.
 */
export const fingerprint = (body: PersonBody | DepartmentBody): string =>
  createHash('sha256').update(JSON.stringify(body)).digest('base64');

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
  // issue 23: personal phone hours (SAMSA §7), written as the departments' are
  {
    field: 'phone_hours',
    aliases: ['phonehours', 'telefontid', 'telefontider', 'telefontid_er', 'egen_telefontid'],
    required: false,
  },
  ...PERSON_RULE_COLUMNS,
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
  // issue 23: what the operator should know of the department now (Falkenberg: tell the contact centre in time)
  { field: 'notice', aliases: ['besked', 'meddelande', 'info'], required: false },
];

/** Optional text fields: an empty cell leaves the field out, as the contract wants. */
function optional(values: Record<string, string>, fields: string[]) {
  const out: Record<string, string> = {};
  for (const f of fields) if (values[f]) out[f] = values[f];
  return out;
}

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

/** planImport's options, for a plan whose files are read in pieces (ImportPlanner). */
export type ImportOptions = Omit<ImportInput, 'people' | 'departments'>;

/**
 * A plan whose messages are made as they are published: the changed people are read again from their
 * file, a piece at a time, so that a large import never holds them all.
 */
export interface StreamedPlan extends Omit<ImportPlan, 'messages' | 'removals'> {
  /** the changed departments, to publish first; none when blocked */
  departments(): Message[];
  /** the people file read again: each piece gives the messages of the changed people in it */
  people(): {
    push(chunk: string): Message[];
    end(): Message[];
    /** how many it gave: fewer or more than planned when the file changed between the readings */
    published(): number;
    planned: number;
  };
  /** the clearing of the removals, to publish last; none when blocked */
  removals(): Message[];
}

export function planImport(input: ImportInput): ImportPlan {
  const planner = new ImportPlanner(input);
  if (input.departments !== undefined) {
    const departments = planner.readDepartments();
    departments.push(input.departments);
    departments.end();
  }
  const read = planner.readPeople();
  read.push(input.people);
  read.end();
  const { departments, people, removals, ...plan } = planner.finish();
  const again = people();
  return {
    ...plan,
    messages: [...departments(), ...again.push(input.people), ...again.end()],
    removals: removals().map(({ body: _, ...ref }) => ref as TopicRef),
  };
}

/** A file of the import, handed over in pieces. */
export interface ChunkSink {
  push(chunk: string): void;
  end(): void;
}

/**
 * Plans an import from files read in pieces: the departments file first (people are checked against
 * it), then the people file, then `finish`. Keeps per person only the key and whether the row changes
 * the broker's directory; the plan makes the messages again from a second reading of the file.
 */
export class ImportPlanner {
  private readonly errors: ImportError[] = [];
  private readonly warnings: string[] = [];
  private readonly existing: ExistingDirectory;
  /** each department's body; null for one the broker holds as it is */
  private departments: StreamedTable<DepartmentBody | null> | undefined;
  /** whether each person changes the broker's directory */
  private people: StreamedTable<boolean> | undefined;
  /** a person's row checked and made a body, or refused */
  private person:
    | ((row: Row, headers: Record<string, string>) => PersonBody | Refusal<DirectoryFile>)
    | undefined;
  private removeDepartments: string[] = [];

  constructor(private readonly options: ImportOptions) {
    this.existing = options.existing ?? { people: new Map(), departments: new Map() };
  }

  readDepartments(): ChunkSink {
    const reader = new TableReader(
      'departments',
      DEPARTMENT_COLUMNS,
      this.errors,
      this.warnings,
      (row, headers) => this.department(row, headers),
    );
    return {
      push: (chunk) => reader.push(chunk),
      end: () => {
        this.departments = reader.end();
      },
    };
  }

  /** After the departments, if there are any. */
  readPeople(): ChunkSink {
    const { existing, departments, options } = this;
    const mentionedDepartments = departments?.mentioned ?? new Set<string>();
    if (options.prune && departments)
      this.removeDepartments = [...existing.departments.keys()].filter((id) => !mentionedDepartments.has(id));
    // A person may name a department from the file or one the broker keeps.
    const known = new Set([...(departments?.accepted.keys() ?? []), ...existing.departments.keys()]);
    for (const id of this.removeDepartments) known.delete(id);
    const person = ({ line, values }: Row, headers: Record<string, string>) => {
      const ext = values.ext as string;
      if (!Ext.safeParse(ext).success)
        return new Refusal<DirectoryFile>({
          file: 'people',
          line,
          field: headers.ext,
          reason: `${JSON.stringify(ext)}: extension must be 1-15 digits`,
        });
      const hours = parsePhoneHours(values.phone_hours ?? '');
      if (!hours.ok)
        return new Refusal<DirectoryFile>({
          file: 'people',
          line,
          field: headers.phone_hours,
          reason: hours.reason,
        });
      const rules = personRuleFields(values);
      if (!rules.ok)
        return new Refusal<DirectoryFile>({
          file: 'people',
          line,
          field: headers[rules.field],
          reason: rules.reason,
        });
      const parsed = Person.safeParse({
        v: 1,
        name: values.name,
        department: values.department,
        ...optional(values, ['title', 'direct', 'mobile', 'email']),
        ...(hours.value.length > 0 ? { phoneHours: hours.value } : {}),
        ...rules.value,
      });
      if (!parsed.success)
        return new Refusal(
          schemaError('people', line, headers, parsed.error.issues[0], { phoneHours: 'phone_hours' }),
        );
      if (!known.has(parsed.data.department))
        return new Refusal<DirectoryFile>({
          file: 'people',
          line,
          field: headers.department,
          reason: mentionedDepartments.has(parsed.data.department)
            ? `department ${parsed.data.department} is not imported: its own row is invalid`
            : `unknown department ${JSON.stringify(parsed.data.department)}${
                departments ? '' : ' (not on the broker; give the departments file)'
              }`,
        });
      return parsed.data;
    };
    this.person = person;
    const reader = new TableReader('people', PEOPLE_COLUMNS, this.errors, this.warnings, (row, headers) => {
      const body = person(row, headers);
      return body instanceof Refusal
        ? body
        : existing.people.get(row.values.ext as string) !== fingerprint(body);
    });
    return {
      push: (chunk) => reader.push(chunk),
      end: () => {
        this.people = reader.end();
      },
    };
  }

  finish(): StreamedPlan {
    const { options, existing, errors, warnings, departments, removeDepartments, person } = this;
    const { org } = options;
    const people = this.people;
    if (!people || !person) throw new Error('finish() before the people file was read');
    errors.sort((a, b) => (a.file === b.file ? a.line - b.line : a.file === 'departments' ? -1 : 1));
    const blocked = errors.length > 0 && !options.allowPartial;
    const changed = (values: Iterable<unknown>) =>
      [...values].filter((v) => v !== null && v !== false).length;
    const changedPeople = changed(people.accepted.values());
    const publish = changed(departments?.accepted.values() ?? []) + changedPeople;
    const valid = (departments?.accepted.size ?? 0) + people.accepted.size;
    // A bad row still names its ext: pruning must not remove the person the file meant to update.
    const removePeople = options.prune
      ? [...existing.people.keys()].filter((ext) => !people.mentioned.has(ext))
      : [];
    const remove = removePeople.length + removeDepartments.length;
    return {
      errors,
      warnings,
      summary: {
        people: { rows: people.records, valid: people.accepted.size },
        departments: { rows: departments?.records ?? 0, valid: departments?.accepted.size ?? 0 },
        publish: blocked ? 0 : publish,
        unchanged: valid - publish,
        remove: blocked ? 0 : remove,
        blocked,
      },
      departments: () =>
        blocked
          ? []
          : [...(departments?.accepted ?? [])].flatMap(([departmentId, body]): Message[] =>
              body ? [{ kind: 'directory-department', org, departmentId, body }] : [],
            ),
      people: () => {
        let out: Message[] = [];
        let published = 0;
        // the rows planned as changes, made again as they are read: nothing else is kept
        const again = (row: Row, headers: Record<string, string>) => {
          const ext = row.values.ext as string;
          if (blocked || people.accepted.get(ext) !== true || people.mentioned.get(ext) !== row.line) return;
          const body = person(row, headers);
          if (body instanceof Refusal) return;
          out.push({ kind: 'directory-person', org, ext, body });
          published++;
        };
        const reader = new TableReader('people', PEOPLE_COLUMNS, [], [], again, false);
        const take = () => {
          const taken = out;
          out = [];
          return taken;
        };
        return {
          push: (chunk) => {
            reader.push(chunk);
            return take();
          },
          end: () => {
            reader.end();
            return take();
          },
          published: () => published,
          planned: blocked ? 0 : changedPeople,
        };
      },
      removals: () =>
        blocked
          ? []
          : [
              ...removePeople.map((ext): Message => ({ kind: 'directory-person', org, ext, body: null })),
              ...removeDepartments.map(
                (departmentId): Message => ({ kind: 'directory-department', org, departmentId, body: null }),
              ),
            ],
    };
  }

  private department({ line, values }: Row, headers: Record<string, string>) {
    const id = values.id as string;
    const hours = parsePhoneHours(values.phone_hours ?? '');
    if (!hours.ok)
      return new Refusal<DirectoryFile>({
        file: 'departments',
        line,
        field: headers.phone_hours,
        reason: hours.reason,
      });
    const answer = (values.must_answer ?? '').toLowerCase();
    if (!YES.has(answer) && !NO.has(answer))
      return new Refusal<DirectoryFile>({
        file: 'departments',
        line,
        field: headers.must_answer,
        reason: `${JSON.stringify(values.must_answer)}: expected ja/nej, yes/no or true/false`,
      });
    if (!DepartmentId.safeParse(id).success)
      return new Refusal<DirectoryFile>({
        file: 'departments',
        line,
        field: headers.id,
        reason: `${JSON.stringify(id)}: lower-case letters, digits, _ and -, starting with a letter or digit`,
      });
    const parsed = Department.safeParse({
      v: 1,
      name: values.name,
      ...optional(values, ['queue', 'notice']),
      phoneHours: hours.value,
      mustAnswer: YES.has(answer),
    });
    if (!parsed.success)
      return new Refusal(
        schemaError('departments', line, headers, parsed.error.issues[0], { phoneHours: 'phone_hours' }),
      );
    return this.existing.departments.get(id) === fingerprint(parsed.data) ? null : parsed.data;
  }
}
