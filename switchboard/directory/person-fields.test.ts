import { describe, expect, it } from 'vitest';
import { planImport } from './import.js';

const DEPARTMENTS = ['id;name;notice', 'bygg;Bygg och miljö;"Ny handläggare för bygglov från 1/12"'].join(
  '\n',
);

describe('the directory columns of issue 23', () => {
  it('reads OE, whom each number may be given to and the keywords, in Swedish Excel words', () => {
    const people = [
      'Anknytning;Namn;Avdelning;Direkt;Mobil;OE;Direkt synlighet;Mobil synlighet;Nyckelord',
      '4711;Sven Andersson;bygg;0514-58011;070-111 22 33;ja;samarbetspartner;intern;"Bygglov, strandskydd; Detaljplan"',
      '4712;Anna Berg;bygg;;;;;;',
    ].join('\n');
    const plan = planImport({ org: 'grastorp', people, departments: DEPARTMENTS });
    expect(plan.errors).toEqual([]);
    expect(plan.messages).toContainEqual({
      kind: 'directory-person',
      org: 'grastorp',
      ext: '4711',
      body: {
        v: 1,
        name: 'Sven Andersson',
        department: 'bygg',
        direct: '0514-58011',
        mobile: '070-111 22 33',
        mobileExtension: true,
        visibility: { direct: 'partners', mobile: 'internal' },
        keywords: ['Bygglov', 'strandskydd', 'Detaljplan'],
      },
    });
    // empty cells leave the fields out, as before
    expect(plan.messages).toContainEqual({
      kind: 'directory-person',
      org: 'grastorp',
      ext: '4712',
      body: { v: 1, name: 'Anna Berg', department: 'bygg' },
    });
    expect(plan.messages).toContainEqual(
      expect.objectContaining({
        kind: 'directory-department',
        body: expect.objectContaining({ notice: 'Ny handläggare för bygglov från 1/12' }),
      }),
    );
  });

  it('names the cell it cannot read, and imports the rest', () => {
    const people = [
      'ext,name,department,oe,direct_visibility',
      '4711,Sven,bygg,kanske,',
      '4712,Anna,bygg,,hemlig',
    ].join('\n');
    const plan = planImport({ org: 'grastorp', people, departments: DEPARTMENTS, allowPartial: true });
    expect(plan.errors).toEqual([
      { file: 'people', line: 2, field: 'oe', reason: '"kanske": expected ja/nej, yes/no or true/false' },
      {
        file: 'people',
        line: 3,
        field: 'direct_visibility',
        reason: '"hemlig": expected public, partners or internal (offentlig, samarbetspartner, intern)',
      },
    ]);
  });
});
