// The page's error sentences, its checks before sending, and search folding, tested in Node.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DEFAULT_REASONS } from '../../../protocol/index.js';
import { checkMessage, checkReferral, errorText, hhmm } from './errors.js';
import { fold } from './fold.js';

const sick = DEFAULT_REASONS.find((r) => r.code === 'sick');
const lunch = DEFAULT_REASONS.find((r) => r.code === 'lunch');
if (!sick || !lunch) throw new Error('default reasons changed');

describe('error sentences', () => {
  // every field + code the board's write routes answer with (actions.ts, writes.ts, http.ts)
  const SERVER = [
    ['until', 'format'],
    ['until', 'passed'],
    ['untilFurtherNotice', 'return-required'],
    ['reason', 'unknown'],
    ['from', 'required'],
    ['text', 'required'],
    ['text', 'too-long'],
    ['messages', 'full'],
    ['ext', 'unknown'],
    ['id', 'unknown'],
    ['', 'forbidden'],
    ['', 'broker-down'],
  ] as const;

  it('has a sentence of its own for each refusal the server gives, in sv, da and en', () => {
    for (const lang of ['sv', 'da', 'en'] as const) {
      const general = errorText({}, lang).text;
      for (const [field, code] of SERVER) {
        const said = errorText({ field, code }, lang);
        expect(said.text, `${lang} ${field}.${code}`).not.toBe(general);
        expect(said.text).toMatch(/^[A-ZÅÄÖÆØ].*\.$/);
        expect(said.field).toBe(field);
      }
    }
  });

  it('says anything else with the general sentence, never the server text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (field, code) => {
        const said = errorText({ field, code }, 'sv');
        expect(said.text).not.toContain(code.length > 3 ? code : '\u0000');
      }),
    );
  });
});

describe('checks before sending', () => {
  it('reads the times an operator types, and refuses the rest', () => {
    expect(['1530', '930', '9.30', '15:30', '0000'].map(hhmm)).toEqual([
      '15:30',
      '09:30',
      '09:30',
      '15:30',
      '00:00',
    ]);
    expect(['25:00', '1260', 'lunch', '15', ''].map(hhmm)).toEqual([null, null, null, null, null]);
  });

  it('sends a return date, with or without a time, and the alternative answering point', () => {
    const form = { until: '', furtherNotice: false, note: '' };
    const vacation = DEFAULT_REASONS.find((r) => r.code === 'vacation') ?? lunch;
    expect(
      checkReferral({ ...form, reason: vacation, untilDate: '2027-01-07' }, DEFAULT_REASONS, 'sv'),
    ).toEqual({
      ok: true,
      body: { reason: 'vacation', until: '2027-01-07' },
    });
    expect(
      checkReferral(
        { ...form, reason: lunch, untilDate: '2027-01-07', until: '930', altForward: ' 2102 ' },
        DEFAULT_REASONS,
        'sv',
      ),
    ).toEqual({
      ok: true,
      body: { reason: 'lunch', until: '2027-01-07 09:30', alt: { kind: 'forward', to: '2102' } },
    });
    expect(checkReferral({ ...form, reason: lunch, altInfo: 'Per svarar' }, DEFAULT_REASONS, 'sv')).toEqual({
      ok: true,
      body: { reason: 'lunch', alt: { kind: 'info', text: 'Per svarar' } },
    });
    expect(checkReferral({ ...form, reason: lunch, altForward: 'Per' }, DEFAULT_REASONS, 'sv')).toEqual({
      ok: false,
      field: 'alt',
      code: 'format',
    });
    expect(errorText({ field: 'alt', code: 'format' }, 'sv').text).toBe(
      'Skriv anknytningen med siffror, t.ex. 2102.',
    );
  });

  it('reads the date the way the page language writes it, and names the date field when it is none', () => {
    const form = { until: '', furtherNotice: false, note: '' };
    const vacation = DEFAULT_REASONS.find((r) => r.code === 'vacation') ?? lunch;
    expect(
      checkReferral({ ...form, reason: vacation, untilDate: '07-01-2027' }, DEFAULT_REASONS, 'da'),
    ).toEqual({
      ok: true,
      body: { reason: 'vacation', until: '2027-01-07' },
    });
    expect(
      checkReferral({ ...form, reason: vacation, untilDate: '01/07/2027' }, DEFAULT_REASONS, 'en'),
    ).toEqual({
      ok: false,
      field: 'untilDate',
      code: 'format',
    });
    for (const lang of ['sv', 'da', 'en'] as const)
      expect(errorText({ field: 'untilDate', code: 'format' }, lang).field).toBe('untilDate');
  });

  it('refuses what the server would, with the field', () => {
    const form = { until: '', furtherNotice: false, note: '' };
    expect(checkReferral({ ...form, reason: lunch, until: '25:00' }, DEFAULT_REASONS, 'sv')).toEqual({
      ok: false,
      field: 'until',
      code: 'format',
    });
    expect(
      checkReferral({ ...form, reason: lunch, furtherNotice: true }, DEFAULT_REASONS, 'sv'),
    ).toMatchObject({
      field: 'untilFurtherNotice',
      code: 'return-required',
    });
    expect(
      checkReferral({ ...form, reason: sick, furtherNotice: true, note: ' ring ' }, DEFAULT_REASONS, 'sv'),
    ).toEqual({
      ok: true,
      body: { reason: 'sick', untilFurtherNotice: true, note: 'ring' },
    });
    expect(checkMessage({ from: ' ', number: '', text: 'x' })).toMatchObject({
      field: 'from',
      code: 'required',
    });
    expect(checkMessage({ from: 'Lena', number: '', text: '' })).toMatchObject({
      field: 'text',
      code: 'required',
    });
  });
});

describe('search folding', () => {
  it('folds case and the Nordic letters both ways', () => {
    expect(fold('Åsa Ørsted Ærø Mölndal')).toBe('asa orsted aero molndal');
    fc.assert(
      fc.property(fc.string(), (s) => {
        expect(fold(fold(s))).toBe(fold(s));
        expect(fold(s.toUpperCase())).toBe(fold(s.toLowerCase()));
      }),
    );
  });

  it('folds every accent, however the name was typed or stored (issue 24: "zoe" finds Zoë)', () => {
    expect(fold('Zoë Müller José Çelik Łukasz Straße Œdipe')).toBe(
      'zoe muller jose celik lukasz strasse oedipe',
    );
    // the same name composed (ë) or decomposed (e + ¨), as a directory export may store it
    expect(fold('Zoë')).toBe(fold('Zoë'));
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme' }), (s) => {
        const folded = fold(s);
        expect(fold(folded)).toBe(folded);
        expect(fold(s.normalize('NFD'))).toBe(fold(s.normalize('NFC')));
        expect(folded).not.toMatch(/\p{M}/u);
      }),
    );
  });
});
