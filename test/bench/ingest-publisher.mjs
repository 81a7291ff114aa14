// The recorder-ingest bench's publisher, in its own process (as desks publish from elsewhere in
// production): on each IPC message {org, events, desks} it builds that organisation's presence stream,
// publishes it QoS 1 with a bounded number in flight, and answers {firstAt, ackedAt} in
// performance.timeOrigin + performance.now() milliseconds (the same clock in the parent). Plain JS, so
// the child needs no TypeScript; the bodies are contract presences.
import mqtt from 'mqtt';

const INFLIGHT = 500;
const client = await mqtt.connectAsync(process.argv.at(-1), { protocolVersion: 4, reconnectPeriod: 0 });
const now = () => performance.timeOrigin + performance.now();

function stream(org, events, desks) {
  const base = Date.parse('2026-12-02T08:00:00Z');
  return Array.from({ length: events }, (_, i) => {
    const at = new Date(base + i).toISOString();
    const body = {
      v: 1,
      status: i % 2 ? 'available' : 'away',
      reason: i % 2 ? null : 'meeting',
      since: at,
      until: null,
      alt: null,
      seq: i,
      by: { kind: 'desk', id: `desk-${i % desks}` },
      at,
    };
    return { topic: `hanvisa/v1/${org}/presence/${10000 + (i % desks)}`, payload: JSON.stringify(body) };
  });
}

process.on('message', async ({ org, events, desks }) => {
  const list = stream(org, events, desks);
  const firstAt = now();
  for (let i = 0; i < list.length; i += INFLIGHT)
    await Promise.all(
      list.slice(i, i + INFLIGHT).map((m) => client.publishAsync(m.topic, m.payload, { qos: 1 })),
    );
  process.send({ firstAt, ackedAt: now() });
});
process.on('disconnect', () => client.end());
process.send({ ready: true });
