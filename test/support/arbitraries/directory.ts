// Arbitraries for the directory kinds: people, departments, the organisation and its reasons.
import fc from 'fast-check';
import { LANGUAGES, perLanguage } from '../../../protocol/languages.js';
import type * as S from '../../../protocol/schemas.js';
import { clockTime, departmentId, localDate, queueId, reasonCode, text } from './primitives.js';

export const person: fc.Arbitrary<S.Person> = fc.record(
  {
    v: fc.constant(1 as const),
    name: text(120, 1),
    department: departmentId,
    title: text(120),
    direct: text(32),
    mobile: text(32),
    email: text(120),
    // issue 23
    mobileExtension: fc.boolean(),
    visibility: fc.record(
      {
        direct: fc.constantFrom('public', 'partners', 'internal'),
        mobile: fc.constantFrom('public', 'partners', 'internal'),
        email: fc.constantFrom('public', 'partners', 'internal'),
      },
      { requiredKeys: [] },
    ),
    keywords: fc.array(text(60, 1), { maxLength: 30 }),
  },
  { requiredKeys: ['v', 'name', 'department'] },
);

export const phoneHours: fc.Arbitrary<S.PhoneHours> = fc.record({
  days: fc.array(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
  from: clockTime,
  to: clockTime,
});

export const department: fc.Arbitrary<S.Department> = fc.record(
  {
    v: fc.constant(1 as const),
    name: text(120, 1),
    queue: queueId,
    phoneHours: fc.array(phoneHours, { maxLength: 14 }),
    mustAnswer: fc.boolean(),
    notice: text(300),
  },
  { requiredKeys: ['v', 'name', 'phoneHours', 'mustAnswer'] },
);

export const reasonDefinition: fc.Arbitrary<S.ReasonDefinition> = fc.record({
  code: reasonCode,
  labels: fc.record(perLanguage(() => text(40, 1))),
  rule: fc.oneof(
    fc.record({ type: fc.constant('minutes' as const), minutes: fc.integer({ min: 1, max: 1440 }) }),
    fc.record({ type: fc.constant('next-quarter' as const), minutes: fc.integer({ min: 0, max: 1440 }) }),
    fc.record({ type: fc.constant('end-of-day' as const) }),
    fc.record({ type: fc.constant('next-workday' as const) }),
    fc.record({ type: fc.constant('next-workday' as const) }),
    fc.record({ type: fc.constant('until-further-notice' as const) }),
  ),
  returnRequired: fc.boolean(),
  privacy: fc.constantFrom('public', 'private'),
});

export const timeZone = fc.constantFrom('Europe/Stockholm', 'Europe/Copenhagen', 'UTC', 'America/New_York');

export const orgInfo: fc.Arbitrary<S.OrgInfo> = fc.record(
  {
    v: fc.constant(1 as const),
    name: text(120, 1),
    greeting: text(300),
    timeZone,
    locale: fc.constantFrom(...LANGUAGES),
    workday: fc.record({ from: clockTime, to: clockTime }),
    onReturn: fc.constantFrom('overdue', 'reopen'),
    callback: fc.constantFrom('same-day', 'next-working-day'),
    reasons: fc.array(reasonDefinition, { maxLength: 8 }),
    answerWithin: fc.record({
      rings: fc.integer({ min: 1, max: 20 }),
      ringSeconds: fc.integer({ min: 1, max: 30 }),
    }),
    // issue 23: on-call validity, switchboard hours and lunch closure
    onCall: fc.array(
      fc.record(
        {
          department: departmentId,
          label: text(80, 1),
          number: text(32, 1),
          from: localDate,
          to: localDate,
          days: fc.uniqueArray(fc.integer({ min: 1, max: 7 }), { minLength: 1, maxLength: 7 }),
          hours: fc.constantFrom('working-hours' as const, 'after-hours' as const),
        },
        { requiredKeys: ['label', 'number'] },
      ),
      { maxLength: 4 },
    ),
    switchboardHours: fc.array(phoneHours, { maxLength: 4 }),
    lunchClosure: fc.record({ from: clockTime, to: clockTime }),
    switchboard: fc.record({
      numbers: fc.array(text(32, 1), { minLength: 1, maxLength: 16 }),
      refuseForward: fc.boolean(),
    }),
  },
  { requiredKeys: ['v', 'name', 'timeZone', 'locale', 'workday', 'onReturn', 'callback'] },
);

/** One body arbitrary per kind, in the schemas' decoded shape. */
