// A seeded day in a small municipality, as recorded events, with the figures worked out by hand in
// timeline.test.ts. Used by the figures' tests, the storage contract tests and the statistics page test.
import type { RecordedEvent, RecordedKind } from '../events.js';

export const SCENARIO_ORG = 'grasto';
export const SCENARIO_DAY = '2026-12-02';

let n = 0;
/** An event received at `iso` (UTC); ids are unique per call. */
export function recorded(
  kind: RecordedKind,
  subject: string,
  body: unknown,
  iso: string,
  org = SCENARIO_ORG,
): RecordedEvent {
  const ms = Date.parse(iso);
  n++;
  return {
    id: `e${n}`,
    org: kind === 'recorder' ? '' : org,
    ord: ms * 1000 + (n % 1000),
    at: ms,
    kind,
    subject,
    body,
  };
}

const away = (reason: string, since: string, until: string | null, at: string) => ({
  v: 1,
  status: 'away',
  reason,
  since,
  until,
  alt: null,
  seq: Date.parse(at),
  by: { kind: 'desk', id: 'd' },
  at,
});
const available = (at: string) => ({
  v: 1,
  status: 'available',
  reason: null,
  since: at,
  until: null,
  alt: null,
  seq: Date.parse(at),
  by: { kind: 'desk', id: 'd' },
  at,
});
const day = (hhmmss: string) => `${SCENARIO_DAY}T${hhmmss}.000Z`;
const call = (callId: string, phase: string, at: string, extra: Record<string, string>) => ({
  callId,
  phase,
  at,
  ...extra,
});

/** Wednesday 2 December 2026 in Europe/Stockholm (UTC+1): local 09:00-12:00 is 08:00Z-11:00Z. */
export function scenarioEvents(): RecordedEvent[] {
  return [
    recorded('recorder', '', { phase: 'up', session: 's1' }, day('07:00:00')),
    recorded(
      'directory-org',
      '',
      {
        v: 1,
        name: 'Grästorp',
        timeZone: 'Europe/Stockholm',
        locale: 'sv',
        workday: { from: '08:00', to: '17:00' },
        onReturn: 'overdue',
        callback: 'same-day',
      },
      day('07:00:00'),
    ),
    recorded(
      'directory-department',
      'bygg',
      {
        v: 1,
        name: 'Bygglov',
        queue: 'bygg-q',
        phoneHours: [{ days: [1, 2, 3, 4, 5], from: '09:00', to: '12:00' }],
        mustAnswer: false,
      },
      day('07:00:00'),
    ),
    recorded(
      'directory-department',
      'soc',
      { v: 1, name: 'Socialjour', phoneHours: [], mustAnswer: true },
      day('07:00:00'),
    ),
    recorded('directory-person', '2001', { v: 1, name: 'Anna', department: 'bygg' }, day('07:00:00')),
    recorded('directory-person', '2002', { v: 1, name: 'Bo', department: 'bygg' }, day('07:00:00')),
    recorded('directory-person', '3001', { v: 1, name: 'Cia', department: 'soc' }, day('07:00:00')),
    recorded('presence', '2001', available(day('07:00:01')), day('07:00:01')),
    recorded(
      'presence',
      '2002',
      away('meeting', day('07:00:00'), day('09:00:00'), day('07:00:01')),
      day('07:00:01'),
    ),
    recorded('presence', '3001', available(day('07:00:01')), day('07:00:01')),
    recorded('device-state', 'desk-2001', { v: 1, online: true, ext: '2001' }, day('07:00:02')),
    recorded(
      'mwi-message',
      '2002/m1',
      { v: 1, message: { id: 'm1', at: day('08:00:00'), text: 'ring', callbackBy: null } },
      day('08:00:00'),
    ),
    recorded('call', 'bygg-q', call('c1', 'entered', day('08:10:00'), { queue: 'bygg-q' }), day('08:10:00')),
    recorded(
      'call',
      'bygg-q',
      call('c1', 'answered', day('08:10:15'), { queue: 'bygg-q', ext: '2001' }),
      day('08:10:15'),
    ),
    recorded('call', 'bygg-q', call('c2', 'entered', day('08:20:00'), { queue: 'bygg-q' }), day('08:20:00')),
    recorded(
      'queue',
      'bygg-q',
      { v: 1, waiting: 2, oldestSince: day('08:20:00'), at: day('08:20:30') },
      day('08:20:30'),
    ),
    recorded(
      'call',
      'bygg-q',
      call('c2', 'answered', day('08:20:40'), { queue: 'bygg-q', ext: '2001' }),
      day('08:20:40'),
    ),
    recorded('call', 'bygg-q', call('c3', 'entered', day('08:30:00'), { queue: 'bygg-q' }), day('08:30:00')),
    recorded(
      'call',
      'bygg-q',
      call('c3', 'abandoned', day('08:31:00'), { queue: 'bygg-q' }),
      day('08:31:00'),
    ),
    recorded('call', '2001', call('u1', 'voicemail', day('08:45:00'), { ext: '2001' }), day('08:45:00')),
    recorded('call', '2002', call('u2', 'unanswered', day('08:50:00'), { ext: '2002' }), day('08:50:00')),
    recorded('mwi-message', '2002/m1', null, day('09:00:00')),
    recorded(
      'presence',
      '2001',
      away('lunch', day('09:30:00'), day('10:15:00'), day('09:30:00')),
      day('09:30:00'),
    ),
    recorded('presence', '2002', available(day('10:00:00')), day('10:00:00')),
    recorded('presence', '2001', available(day('10:05:00')), day('10:05:00')),
    recorded(
      'presence',
      '2002',
      away('meeting', day('10:30:00'), day('11:30:00'), day('10:30:00')),
      day('10:30:00'),
    ),
    recorded(
      'presence',
      '2001',
      away('lunch', day('10:40:00'), day('11:20:00'), day('10:40:00')),
      day('10:40:00'),
    ),
    recorded('presence', '3001', away('sick', day('11:00:00'), null, day('11:00:00')), day('11:00:00')),
    recorded('presence', '2001', available(day('11:20:00')), day('11:20:00')),
    recorded('presence', '2002', available(day('11:30:00')), day('11:30:00')),
    recorded('presence', '3001', available(day('12:00:00')), day('12:00:00')),
    recorded(
      'mwi-message',
      '2002/m2',
      { v: 1, message: { id: 'm2', at: day('12:00:00'), text: 'ring igen', callbackBy: day('13:00:00') } },
      day('12:00:00'),
    ),
    recorded('device-state', 'desk-2001', { v: 1, online: false }, day('13:00:00')),
    recorded('device-state', 'desk-2001', { v: 1, online: true, ext: '2001' }, day('14:30:00')),
    recorded('device-state', 'desk-2001', { v: 1, online: false }, day('15:30:00')),
  ];
}
