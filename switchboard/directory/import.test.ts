import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { EXAMPLES } from '../../protocol/contract.js';
import { type Department, encode, type Person } from '../../protocol/index.js';
import { formatCsv } from './csv.js';
import { type ExistingDirectory, fingerprint, ImportPlanner, planImport } from './import.js';

const ORG = 'grastorp';
const DEPARTMENTS = [
  'id,name,queue,phone_hours,must_answer',
  'bygg,Bygg och miljö,bygg,"mon-thu 09:00-11:00",nej',
  'kc,Kontaktcenter,kc,"mon-fri 08:00-16:30; tue,thu 17:00-18:00",ja',
].join('\n');
const PEOPLE = [
  'ext,name,department,title,direct,mobile,email',
  '4711,Sven Andersson,bygg,Bygglovshandläggare,0514-58011,,',
  '4712,Anna Berg,kc,,,070-123 45 67,anna.berg@grastorp.example',
].join('\n');

const person = (name: string, department: string): Person => ({ v: 1, name, department });
const department = (name: string): Department => ({ v: 1, name, phoneHours: [], mustAnswer: false });
const existing = (
  people: [string, Person][],
  departments: [string, Department][] = [],
): ExistingDirectory => ({
  people: new Map(people.map(([ext, body]) => [ext, fingerprint(body)])),
  departments: new Map(departments.map(([id, body]) => [id, fingerprint(body)])),
});

describe('planImport', () => {
  it('turns the files into valid retained directory messages, departments first', () => {
    const plan = planImport({ org: ORG, people: PEOPLE, departments: DEPARTMENTS });
    expect(plan.errors).toEqual([]);
    expect(plan.messages).toEqual([
      // bygg and 4711 are the contract's examples: docs/asyncapi.json shows what this import publishes
      EXAMPLES['directory-department'],
      {
        kind: 'directory-department',
        org: ORG,
        departmentId: 'kc',
        body: {
          v: 1,
          name: 'Kontaktcenter',
          queue: 'kc',
          phoneHours: [
            { days: [1, 2, 3, 4, 5], from: '08:00', to: '16:30' },
            { days: [2, 4], from: '17:00', to: '18:00' },
          ],
          mustAnswer: true,
        },
      },
      EXAMPLES['directory-person'],
      {
        kind: 'directory-person',
        org: ORG,
        ext: '4712',
        body: {
          v: 1,
          name: 'Anna Berg',
          department: 'kc',
          mobile: '070-123 45 67',
          email: 'anna.berg@grastorp.example',
        },
      },
    ]);
    for (const m of plan.messages) expect(encode(m).retain).toBe(true);
    expect(plan.summary).toEqual({
      people: { rows: 2, valid: 2 },
      departments: { rows: 2, valid: 2 },
      publish: 4,
      unchanged: 0,
      remove: 0,
      blocked: false,
    });
  });

  it('reads a Swedish Excel export: BOM, ; delimiter, Swedish headers in any case, CRLF', () => {
    const people =
      '\uFEFFAnknytning;Namn;Avdelning;Titel;Direkt;Mobil;E-post\r\n4711;Sven Andersson;bygg;Chef, bygg;;;\r\n';
    const departments = 'ID;Namn;Kö;Telefontid;Måste svara\r\nbygg;Bygg;;mån-tors 9.00-11.00;JA\r\n';
    const plan = planImport({ org: ORG, people, departments });
    expect(plan.errors).toEqual([]);
    expect(plan.warnings).toEqual([]);
    expect(plan.messages.map((m) => m.body)).toEqual([
      {
        v: 1,
        name: 'Bygg',
        phoneHours: [{ days: [1, 2, 3, 4], from: '09:00', to: '11:00' }],
        mustAnswer: true,
      },
      { v: 1, name: 'Sven Andersson', department: 'bygg', title: 'Chef, bygg' },
    ]);
  });

  it("reads a person's own phone hours (SAMSA §7), and refuses bad ones naming the cell", () => {
    const people = [
      'Anknytning;Namn;Avdelning;Telefontid',
      '4711;Sven Andersson;bygg;mån-fre 8.00-11.00',
      '4712;Stina Berg;bygg;',
      '4713;Bo Ek;bygg;mån-fre 25.00-26.00',
    ].join('\r\n');
    const departments = 'ID;Namn;Kö;Telefontid;Måste svara\r\nbygg;Bygg;;mån-fre 8.00-16.00;nej\r\n';
    const plan = planImport({ org: ORG, people, departments, allowPartial: true });
    expect(plan.errors).toEqual([expect.objectContaining({ file: 'people', line: 4, field: 'Telefontid' })]);
    expect(plan.messages.slice(1).map((m) => m.body)).toEqual([
      {
        v: 1,
        name: 'Sven Andersson',
        department: 'bygg',
        phoneHours: [{ days: [1, 2, 3, 4, 5], from: '08:00', to: '11:00' }],
      },
      { v: 1, name: 'Stina Berg', department: 'bygg' },
    ]);
  });

  it('reports bad rows with file, line and field, and by default publishes nothing', () => {
    const people = [
      'ext;namn;avdelning;titel',
      '4711;Sven;bygg;',
      '47x1;Bad Ext;bygg;',
      '4713;;bygg;',
      '"4714";"Multi',
      'line";bygg;Chef',
      `4715;Long Title;bygg;${'x'.repeat(121)}`,
      '4716;Nowhere;ekonomi;',
      '4717;Too many;bygg;;surplus',
    ].join('\r\n');
    const plan = planImport({ org: ORG, people, departments: DEPARTMENTS });
    expect(plan.errors).toEqual([
      { file: 'people', line: 3, field: 'ext', reason: '"47x1": extension must be 1-15 digits' },
      { file: 'people', line: 4, field: 'namn', reason: 'required, but empty' },
      { file: 'people', line: 7, field: 'titel', reason: expect.stringMatching(/<=120/) },
      { file: 'people', line: 8, field: 'avdelning', reason: 'unknown department "ekonomi"' },
      { file: 'people', line: 9, reason: '5 fields, but the header names 4' },
    ]);
    expect(plan.messages).toEqual([]);
    expect(plan.summary).toMatchObject({ people: { rows: 7, valid: 2 }, publish: 0, blocked: true });
  });

  it('with allowPartial publishes exactly the good rows', () => {
    const people = 'ext,name,department\n4711,Sven,bygg\n4712,,bygg\n4713,Per,kc\n';
    const plan = planImport({ org: ORG, people, departments: DEPARTMENTS, allowPartial: true });
    expect(plan.errors).toHaveLength(1);
    expect(
      plan.messages.filter((m) => m.kind === 'directory-person').map((m) => 'ext' in m && m.ext),
    ).toEqual(['4711', '4713']);
    expect(plan.summary.blocked).toBe(false);
  });

  it('reports every line of a duplicated ext and imports none of them', () => {
    const people = 'ext,name,department\n4711,Sven,bygg\n4712,Anna,kc\n4711,Sven B,bygg\n';
    const plan = planImport({ org: ORG, people, departments: DEPARTMENTS, allowPartial: true });
    expect(plan.errors).toEqual([
      {
        file: 'people',
        line: 2,
        field: 'ext',
        reason: '4711 appears on lines 2, 4; none of them is imported',
      },
      {
        file: 'people',
        line: 4,
        field: 'ext',
        reason: '4711 appears on lines 2, 4; none of them is imported',
      },
    ]);
    expect(plan.messages.map((m) => ('ext' in m ? m.ext : m.kind))).toEqual([
      'directory-department',
      'directory-department',
      '4712',
    ]);
  });

  it('a duplicate counts even when one of its rows is bad; duplicate departments likewise', () => {
    const plan = planImport({
      org: ORG,
      people: 'ext,name,department\n4711,Sven,kc\n4711,,kc\n4712,Anna,kc\n',
      departments: 'id,name\nkc,A\nkc,B\nbygg,Bygg\n',
      allowPartial: true,
    });
    expect(plan.errors).toEqual([
      {
        file: 'departments',
        line: 2,
        field: 'id',
        reason: 'kc appears on lines 2, 3; none of them is imported',
      },
      {
        file: 'departments',
        line: 3,
        field: 'id',
        reason: 'kc appears on lines 2, 3; none of them is imported',
      },
      {
        file: 'people',
        line: 2,
        field: 'ext',
        reason: '4711 appears on lines 2, 3; none of them is imported',
      },
      { file: 'people', line: 3, field: 'name', reason: 'required, but empty' },
      {
        file: 'people',
        line: 3,
        field: 'ext',
        reason: '4711 appears on lines 2, 3; none of them is imported',
      },
      {
        file: 'people',
        line: 4,
        field: 'department',
        reason: 'department kc is not imported: its own row is invalid',
      },
    ]);
    expect(plan.messages.map((m) => m.kind)).toEqual(['directory-department']);
    expect(plan.summary).toMatchObject({ people: { rows: 3, valid: 0 }, departments: { rows: 3, valid: 1 } });
  });

  it('reports bad department rows and the people who name them', () => {
    const departments = [
      'id,name,phone_hours,must_answer',
      'bygg,Bygg,mon-fri 25:00-26:00,nej',
      'kc,Kontaktcenter,,kanske',
      'Ekonomi,Ekonomi,,',
      'ok,OK,,',
    ].join('\n');
    const people = 'ext,name,department\n1,A,bygg\n2,B,ok\n';
    const plan = planImport({ org: ORG, people, departments });
    expect(plan.errors).toEqual([
      { file: 'departments', line: 2, field: 'phone_hours', reason: 'bad time "25:00" (HH:MM)' },
      { file: 'departments', line: 3, field: 'must_answer', reason: expect.stringContaining('"kanske"') },
      { file: 'departments', line: 4, field: 'id', reason: expect.stringContaining('"Ekonomi"') },
      {
        file: 'people',
        line: 2,
        field: 'department',
        reason: 'department bygg is not imported: its own row is invalid',
      },
    ]);
  });

  it('refuses a file without the required columns, and warns about unknown ones', () => {
    const plan = planImport({ org: ORG, people: 'name,telefon\nSven,123\n', departments: DEPARTMENTS });
    expect(plan.errors).toEqual([
      { file: 'people', line: 1, reason: 'missing column(s): ext/anknytning, department/avdelning' },
    ]);
    expect(plan.warnings).toEqual(['people: column "telefon" is not used']);
    expect(planImport({ org: ORG, people: '' }).errors).toEqual([
      { file: 'people', line: 1, reason: expect.stringContaining('empty file') },
    ]);
  });

  it('without a departments file, people are checked against the departments the broker holds', () => {
    const people = 'ext,name,department\n1,A,bygg\n2,B,kc\n';
    const plan = planImport({ org: ORG, people, existing: existing([], [['bygg', department('Bygg')]]) });
    expect(plan.errors).toEqual([
      {
        file: 'people',
        line: 3,
        field: 'department',
        reason: 'unknown department "kc" (not on the broker; give the departments file)',
      },
    ]);
  });

  it('skips rows the broker already holds unchanged', () => {
    const people = 'ext,name,department\n1,A,bygg\n2,B,bygg\n';
    const plan = planImport({
      org: ORG,
      people,
      existing: existing([['1', person('A', 'bygg')]], [['bygg', department('Bygg')]]),
    });
    expect(plan.messages.map((m) => ('ext' in m ? m.ext : ''))).toEqual(['2']);
    expect(plan.summary).toMatchObject({ publish: 1, unchanged: 1 });
  });

  it('prune clears people and departments not in the files, but not a person whose row is bad', () => {
    const plan = planImport({
      org: ORG,
      people: 'ext,name,department\n1,A,bygg\n3,,bygg\n',
      departments: 'id,name\nbygg,Bygg\n',
      existing: existing(
        [
          ['1', person('A', 'bygg')],
          ['2', person('Gone', 'bygg')],
          ['3', person('Kept', 'bygg')],
        ],
        [
          ['bygg', department('Bygg')],
          ['old', department('Old')],
        ],
      ),
      prune: true,
      allowPartial: true,
    });
    expect(plan.removals).toEqual([
      { kind: 'directory-person', org: ORG, ext: '2' },
      { kind: 'directory-department', org: ORG, departmentId: 'old' },
    ]);
    // and without allowPartial the bad row blocks the pruning too
    expect(
      planImport({
        org: ORG,
        people: 'ext,name,department\n3,,bygg\n',
        existing: existing([['2', person('x', 'bygg')]]),
        prune: true,
      }).removals,
    ).toEqual([]);
  });

  it('every valid generated table imports completely; one corrupted row is reported on its own line', () => {
    const name = fc.string({
      unit: fc.constantFrom('a', 'Ö', ' ', ',', ';', '"', '\n'),
      minLength: 1,
      maxLength: 10,
    });
    const rows = fc.uniqueArray(
      fc.record({ ext: fc.stringMatching(/^[0-9]{1,6}$/), name: name.filter((n) => n.trim() !== '') }),
      { selector: (r) => r.ext, maxLength: 20 },
    );
    fc.assert(
      fc.property(rows, fc.constantFrom<',' | ';'>(',', ';'), fc.nat(), (list, delimiter, pick) => {
        const table = [['ext', 'name', 'department'], ...list.map((r) => [r.ext, r.name, 'bygg'])];
        const ok = planImport({ org: ORG, people: formatCsv(table, delimiter), departments: DEPARTMENTS });
        expect(ok.errors).toEqual([]);
        expect(ok.summary.people.valid).toBe(list.length);
        if (!list.length) return;
        const bad = pick % list.length;
        table[bad + 1] = ['not-an-ext', 'x', 'bygg'];
        const text = formatCsv(table, delimiter);
        const line = text.slice(0, text.indexOf('not-an-ext')).split(/\r\n|\r|\n/).length;
        const plan = planImport({ org: ORG, people: text, departments: DEPARTMENTS });
        expect(plan.errors).toEqual([{ file: 'people', line, field: 'ext', reason: expect.any(String) }]);
        expect(plan.messages).toEqual([]);
      }),
    );
  });

  it('read in pieces, plans as whole; a second reading of a changed file gives fewer than planned', () => {
    const planner = new ImportPlanner({ org: ORG });
    const departments = planner.readDepartments();
    for (const piece of DEPARTMENTS.match(/[\s\S]{1,7}/g) ?? []) departments.push(piece);
    departments.end();
    const people = planner.readPeople();
    for (const piece of PEOPLE.match(/[\s\S]{1,5}/g) ?? []) people.push(piece);
    people.end();
    const plan = planner.finish();
    const whole = planImport({ org: ORG, people: PEOPLE, departments: DEPARTMENTS });
    expect(plan.summary).toEqual(whole.summary);
    const again = plan.people();
    expect([...plan.departments(), ...again.push(PEOPLE), ...again.end()]).toEqual(whole.messages);
    expect(again.published()).toBe(again.planned);

    const changed = plan.people();
    changed.push(PEOPLE.replace('4712,Anna Berg,kc', '4712,Anna Berg,nowhere'));
    changed.end();
    expect(changed.published()).toBe(again.planned - 1);
  });
});
