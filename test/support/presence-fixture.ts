// One valid presence body as JSON on the wire (plain data, not the typed Presence), for the codec tests
// to vary one field at a time.
export const away = {
  v: 1,
  status: 'away',
  reason: 'lunch',
  since: '2026-11-23T11:00:00.000Z',
  until: '2026-11-23T11:45:00.000Z',
  alt: null,
  seq: 7,
  by: { kind: 'desk', id: 'desk-7' },
  at: '2026-11-23T11:00:00.123Z',
};
