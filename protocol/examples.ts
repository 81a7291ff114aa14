// One realistic example per message kind: the contract's documentation (asyncapi.json, docs/protocol.md),
// checked to encode and to pass its own JSON Schema by protocol/contract.test.ts.
import type { Message } from './codec.js';
import type { Kind } from './topics.js';

const at = '2026-11-23T11:02:13.481Z';
/** the same message in the old single value and on its own topic */
const phoneMessage = {
  id: 'msg-981',
  at: '2026-11-23T09:12:00.000Z',
  from: 'Karin Lund',
  number: '0514-58000',
  text: 'Ring tillbaka om bygglovet',
  takenBy: 'operator-2',
  callbackBy: '2026-11-24T16:00:00.000Z',
};

/** One realistic example per kind: documentation, and checked to encode. */
export const EXAMPLES: { [K in Kind]: Message<K> } = {
  presence: {
    kind: 'presence',
    org: 'grastorp',
    ext: '4711',
    body: {
      v: 1,
      status: 'away',
      reason: 'lunch',
      since: at,
      until: '2026-11-23T11:45:00.000Z',
      alt: { kind: 'forward', to: '4712', name: 'Anna Berg' },
      seq: 42,
      by: { kind: 'desk', id: 'desk-4711' },
      at,
    },
  },
  'device-state': {
    kind: 'device-state',
    org: 'grastorp',
    deviceId: 'desk-4711',
    body: {
      v: 1,
      online: true,
      at,
      ext: '4711',
      agent: '0.1.0',
      panel: { hardwareId: 'usb-1209-0001-a1b2', model: 'hanvisa-12', keys: 12, leds: 12, firmware: '1.0.0' },
      configVersion: 3,
      panelConnected: true,
    },
  },
  'device-config': {
    kind: 'device-config',
    org: 'grastorp',
    deviceId: 'desk-4711',
    body: {
      v: 1,
      version: 3,
      ext: '4711',
      layout: {
        keys: [
          { key: 0, action: { type: 'reason', reason: 'lunch' } },
          { key: 1, action: { type: 'reason', reason: 'meeting' } },
          { key: 2, action: { type: 'extend', minutes: 15 } },
          { key: 3, action: { type: 'open' } },
        ],
        leds: [
          { led: 0, role: { type: 'reason', reason: 'lunch' } },
          { led: 1, role: { type: 'reason', reason: 'meeting' } },
          { led: 2, role: { type: 'message' } },
          { led: 3, role: { type: 'queue', queue: 'reception' } },
        ],
      },
      forwardTo: '4712',
      queues: ['reception'],
    },
  },
  'device-config-ack': {
    kind: 'device-config-ack',
    org: 'grastorp',
    deviceId: 'desk-4711',
    body: { v: 1, version: 3, ok: true, at },
  },
  'device-cmd': {
    kind: 'device-cmd',
    org: 'grastorp',
    deviceId: 'desk-4711',
    body: { v: 1, id: 'c-20261123-1', cmd: 'identify', seconds: 10 },
  },
  'device-cmd-result': {
    kind: 'device-cmd-result',
    org: 'grastorp',
    deviceId: 'desk-4711',
    body: { v: 1, id: 'c-20261123-1', ok: true, detail: 'blinking for 10 s', at },
  },
  mwi: {
    kind: 'mwi',
    org: 'grastorp',
    ext: '4711',
    body: {
      v: 1,
      messages: [phoneMessage],
    },
  },
  'mwi-message': {
    kind: 'mwi-message',
    org: 'grastorp',
    ext: '4711',
    messageId: 'msg-981',
    body: {
      v: 1,
      message: phoneMessage,
    },
  },
  'mwi-handled': {
    kind: 'mwi-handled',
    org: 'grastorp',
    ext: '4711',
    body: { v: 1, id: 'msg-981', by: { kind: 'desk', id: 'desk-4711' }, at },
  },
  voicemail: { kind: 'voicemail', org: 'grastorp', ext: '4711', body: { v: 1, count: 2 } },
  queue: {
    kind: 'queue',
    org: 'grastorp',
    queueId: 'reception',
    body: {
      v: 1,
      name: 'Reception',
      waiting: 2,
      oldestSince: '2026-11-23T11:01:51.002Z',
      at,
      alarmSeconds: 20,
      calls: [
        { id: 'c-5521', position: 1, since: '2026-11-23T11:01:51.002Z' },
        { id: 'c-5522', position: 2, since: '2026-11-23T11:02:09.310Z' },
      ],
    },
  },
  'call-event': {
    kind: 'call-event',
    org: 'guldborgsund',
    queueId: 'borgerservice',
    body: {
      v: 1,
      id: 'ev-88412',
      call: 'c-5521',
      event: 'answered',
      at,
      enteredAt: '2026-11-23T11:01:51.002Z',
      position: 2,
      ext: '4711',
    },
  },
  'phone-link': {
    kind: 'phone-link',
    org: 'grastorp',
    body: {
      v: 1,
      up: false,
      since: '2026-11-23T10:42:00.000Z',
      system: 'sip',
      detail: 'no answer from sip:pbx.grastorp.se',
    },
  },
  'calendar-status': {
    kind: 'calendar-status',
    org: 'grastorp',
    ext: '4711',
    body: {
      v: 1,
      ok: false,
      at,
      lastGood: '2026-11-23T10:55:00.000Z',
      failures: 2,
      error: 'HTTP 404 Not Found',
    },
  },
  'session-revoked': {
    kind: 'session-revoked',
    org: 'grastorp',
    sessionId: 'kq3Xb0n7W1cVxW2yJm9pQe4Zt8LsRfHd6AuGiNoYv5E',
    body: { v: 1, until: '2026-11-23T19:02:11.000Z' },
  },
  'directory-person': {
    kind: 'directory-person',
    org: 'grastorp',
    ext: '4711',
    body: {
      v: 1,
      name: 'Sven Andersson',
      department: 'bygg',
      title: 'Bygglovshandläggare',
      direct: '0514-58011',
    },
  },
  'directory-department': {
    kind: 'directory-department',
    org: 'grastorp',
    departmentId: 'bygg',
    body: {
      v: 1,
      name: 'Bygg och miljö',
      queue: 'bygg',
      phoneHours: [{ days: [1, 2, 3, 4], from: '09:00', to: '11:00' }],
      mustAnswer: false,
    },
  },
  'directory-org': {
    kind: 'directory-org',
    org: 'grastorp',
    body: {
      v: 1,
      name: 'Grästorps kommun',
      timeZone: 'Europe/Stockholm',
      locale: 'sv',
      workday: { from: '08:00', to: '16:30' },
      onReturn: 'overdue',
      callback: 'next-working-day',
      workdays: [1, 2, 3, 4, 5],
      holidays: ['2026-12-24', '2026-12-25', '2026-12-26', '2026-12-31', '2027-01-01', '2027-01-06'],
      stepMinutes: 15,
      longPressMs: 800,
      queueAlarmSeconds: 20,
      afterHours: 'Växeln är stängd. Vid akuta ärenden ring socialjouren.',
      onCall: [{ department: 'social', label: 'Socialjouren', number: '0514-58000' }],
    },
  },
};
