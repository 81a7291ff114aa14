// One writer per retained topic, shown through real parts (Mosquitto, the board service, a desk agent on
// a virtual panel): the switchboard side publishes voicemail counts on voicemail/{ext} while operators
// take phone messages for the same person on the board, interleaved by a seeded fast-check schedule.
// Every message taken stays on the broker (its own mwi/{ext}/msg/{id}), also in bursts, and the board
// and the desk's lamp end on the last count.
import fc from 'fast-check';
import mqtt, { type MqttClient } from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { decode, type Message, topicFor } from '../../protocol/index.js';
import { DEFAULT_QUEUE } from '../../protocol/layouts.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { publishMessage } from '../../switchboard/publish.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';
import { retainedMessages } from '../support/retained.js';

const ORG = 'demo';
const EXT = '2101';
const MESSAGE_LED = 9; // DEFAULT_LAYOUT
const QUEUE_LED = 10;

let desk: DemoDesk;
let switchboard: MqttClient;
let board: Board;
let csrf: string;

beforeAll(async () => {
  desk = await startDemoDesk(ORG, EXT);
  switchboard = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
  // open access: every visitor is the demo operator
  board = await startBoard({ brokerUrl: desk.mosquitto.url, port: 0, orgs: [ORG] });
  await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.status).toBe('available'), { timeout: 5000 });
  csrf = ((await (await fetch(new URL('/api/session', board.url))).json()) as { csrfToken: string })
    .csrfToken;
});

afterAll(async () => {
  await board?.close();
  await switchboard?.endAsync(true);
  await desk?.stop();
});

const post = async (path: string, body: unknown, status: number) => {
  const res = await fetch(new URL(path, board.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json', 'x-csrf-token': csrf },
    body: JSON.stringify(body),
  });
  expect(res.status, path).toBe(status);
  return res.json() as Promise<unknown>;
};

const take = async (text: string): Promise<string> =>
  (
    (await post(`/api/messages/${ORG}/${EXT}`, { from: 'Lena Holm', text }, 201)) as {
      message: { id: string };
    }
  ).message.id;

const voicemail = (count: number): Message => ({
  kind: 'voicemail',
  org: ORG,
  ext: EXT,
  body: { v: 1, count },
});

/** What a new subscriber finds retained on a topic (every topic read here has a retained value). */
async function retained(topic: string): Promise<Message> {
  const reader = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
  try {
    const got = new Promise<Message>((resolve, reject) =>
      reader.once('message', (t, payload) => {
        const r = decode(t, payload);
        if (r.ok) resolve(r.message);
        else reject(new Error(r.detail));
      }),
    );
    await reader.subscribeAsync(topic, { qos: 1 });
    return await got;
  } finally {
    await reader.endAsync(true);
  }
}

/** Another publish the desk follows, sent after everything it must have seen: once its lamp shows it,
 * the desk has received all that the broker had acknowledged before (one connection, in order). */
async function deskCaughtUp(waiting: number): Promise<void> {
  await publishMessage(switchboard, {
    kind: 'queue',
    org: ORG,
    queueId: DEFAULT_QUEUE,
    body: {
      v: 1,
      waiting,
      oldestSince: waiting ? new Date().toISOString() : null,
      at: new Date().toISOString(),
    },
  });
  await desk.panel.waitForFrame((f) => (f[QUEUE_LED]?.pattern === 'off') === (waiting === 0));
}

// A voicemail count from the switchboard side, or 1-8 messages taken at once on the board (a burst).
const step = fc.oneof(
  fc.record({ voicemail: fc.nat(9) }),
  fc.record({ take: fc.integer({ min: 1, max: 8 }) }),
);
const schedule = fc
  .array(step, { minLength: 10, maxLength: 40 })
  .filter((steps) => steps.some((s) => 'voicemail' in s) && steps.some((s) => 'take' in s));

describe('voicemail and phone messages, written by two parties at once', () => {
  it('loses no message taken, and the board and the lamp end on the last voicemail count', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(schedule, async (steps) => {
        run++;
        const taken: string[] = [];
        const published: Promise<void>[] = [];
        let last = 0;
        for (const [i, s] of steps.entries()) {
          if ('voicemail' in s) {
            // not awaited: the counts stream out while the board takes the next messages
            published.push(publishMessage(switchboard, voicemail(s.voicemail)));
            last = s.voicemail;
          } else {
            const texts = Array.from({ length: s.take }, (_, n) => `run ${run} step ${i}.${n}`);
            taken.push(...(await Promise.all(texts.map(take))));
          }
        }
        await Promise.all(published);

        await vi.waitFor(() => {
          const row = board.model.row(ORG, EXT);
          expect(row?.voicemail).toBe(last);
          expect(row?.phoneMessages?.map((m) => m.id).sort()).toEqual([...taken].sort());
        });
        const onBroker = await retainedMessages(desk.mosquitto.url, { org: ORG, ext: EXT });
        expect(onBroker.map((m) => m.id).sort()).toEqual([...taken].sort());
        expect(await retained(topicFor({ kind: 'voicemail', org: ORG, ext: EXT }))).toMatchObject({
          body: { count: last },
        });

        // With every message handled, the lamp shows the voicemail alone: lit exactly when some waits.
        for (const id of taken) {
          await post(`/api/messages/${ORG}/${EXT}/${encodeURIComponent(id)}/handled`, {}, 200);
        }
        await deskCaughtUp(1);
        expect(desk.panel.frame[MESSAGE_LED]?.pattern).toBe(last > 0 ? 'on' : 'off');

        // clean slate for the next run
        await publishMessage(switchboard, voicemail(0));
        await deskCaughtUp(0);
        expect(desk.panel.frame[MESSAGE_LED]?.pattern).toBe('off');
      }),
      { seed: 20261123, numRuns: 4, endOnFailure: true },
    );
  });
});
