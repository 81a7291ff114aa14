import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import { DEFAULT_POLICY } from '../../rules/policy.js';
import { planDepartmentReferral, undoStep } from './department-referral.js';

// Monday 23 November 2026, 09:05 in Stockholm
const NOW = new Date('2026-11-23T08:05:00.000Z');
const LATER = new Date('2026-11-23T09:00:00.000Z');
const OLLE = { kind: 'operator' as const, id: 'olle' };
const ctx = { now: NOW, policy: DEFAULT_POLICY, actor: OLLE };

const lunch = (seq: number): Presence => ({
  v: 1,
  status: 'away',
  reason: 'lunch',
  since: '2026-11-23T07:50:00.000Z',
  until: '2026-11-23T11:00:00.000Z',
  alt: { kind: 'forward', to: '2105' },
  seq,
  by: { kind: 'desk', id: 'desk-2102' },
  at: '2026-11-23T07:50:00.000Z',
});

describe('department referral (SAMSA §6)', () => {
  it('refers everyone with the note and the emergency number as their alternative', () => {
    const plan = planDepartmentReferral(
      [
        { ext: '2101', presence: null },
        { ext: '2102', presence: lunch(4) },
      ],
      { reason: 'meeting', until: '13:00', note: 'Studiedag', emergency: '070-123 45 67' },
      ctx,
    );
    if (!plan.ok) throw new Error(plan.error);
    for (const step of plan.value.steps) {
      expect(step.written).toMatchObject({
        status: 'away',
        reason: 'meeting',
        until: '2026-11-23T12:00:00.000Z',
        note: 'Studiedag',
        alt: { kind: 'info', text: '070-123 45 67' },
        by: OLLE,
      });
    }
    expect(plan.value.steps[1]?.written.seq).toBe(5);
  });

  it('keeps each person their own alternative when no emergency number is given', () => {
    const plan = planDepartmentReferral([{ ext: '2102', presence: lunch(4) }], { reason: 'meeting' }, ctx);
    expect(plan.ok && plan.value.steps[0]?.written.alt).toEqual({ kind: 'forward', to: '2105' });
  });

  it('leaves someone already away as long or longer with their own referral, and says so', () => {
    const sick: Presence = { ...lunch(2), reason: 'sick', until: null, alt: null };
    const plan = planDepartmentReferral(
      [
        { ext: '2101', presence: sick },
        { ext: '2102', presence: lunch(4) },
      ],
      { reason: 'meeting', until: '13:00' },
      ctx,
    );
    if (!plan.ok) throw new Error(plan.error);
    expect(plan.value.kept).toEqual(['2101']);
    expect(plan.value.steps.map((s) => s.ext)).toEqual(['2102']);
  });

  it('refers nobody when the request is refused for one', () => {
    const plan = planDepartmentReferral(
      [{ ext: '2101', presence: null }],
      { reason: 'sick', untilFurtherNotice: true },
      {
        ...ctx,
        policy: {
          ...DEFAULT_POLICY,
          reasons: DEFAULT_POLICY.reasons.map((r) => ({ ...r, returnRequired: true })),
        },
      },
    );
    expect(plan).toMatchObject({ ok: false, code: 'return-required' });
  });

  it('undo gives each person back what they had, newer than the department referral', () => {
    fc.assert(
      fc.property(fc.option(fc.integer({ min: 0, max: 1000 }).map(lunch), { nil: null }), (previous) => {
        const plan = planDepartmentReferral(
          [{ ext: '2102', presence: previous }],
          { reason: 'meeting' },
          ctx,
        );
        if (!plan.ok || !plan.value.steps[0]) throw new Error('refused');
        const step = plan.value.steps[0];
        const back = undoStep(step, step.written, { now: LATER, actor: OLLE });
        if (back === 'changed-since') throw new Error('not undone');
        expect(back.seq).toBeGreaterThan(step.written.seq);
        expect(back.by).toEqual(OLLE);
        if (previous)
          expect({ ...back, seq: 0, by: null, at: '' }).toEqual({ ...previous, seq: 0, by: null, at: '' });
        else expect(back).toMatchObject({ status: 'available', reason: null, until: null, alt: null });
      }),
    );
  });

  it('undo leaves alone a person who changed it since: their own change wins', () => {
    const plan = planDepartmentReferral([{ ext: '2102', presence: lunch(4) }], { reason: 'meeting' }, ctx);
    if (!plan.ok || !plan.value.steps[0]) throw new Error('refused');
    const step = plan.value.steps[0];
    const theirs = { ...step.written, reason: 'out', seq: step.written.seq + 1 };
    expect(undoStep(step, theirs, { now: LATER, actor: OLLE })).toBe('changed-since');
    expect(undoStep(step, null, { now: LATER, actor: OLLE })).toBe('changed-since');
  });
});
