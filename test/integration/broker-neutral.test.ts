// Broker neutrality: the MQTT parts hanvisa relies on, against brokers nobody here wrote — RabbitMQ's
// MQTT plugin (Debian's rabbitmq-server 3.10) and a 3-node NATS cluster's MQTT front end (Debian's
// nats-server 2.9, JetStream). The set: a desk's key press round trip, retained delivery, wills (the
// offline lamp), live delivery to the board, a '.' in a topic. On the cluster each client sits on
// another node, so every case also crosses the cluster. What a broker does differently is pinned with
// `it.fails` (the test passes while the broker still breaks it, and says so when it stops):
// docs/protocol.md, "Broker neutrality", has the list and what it means for a site.
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { type DeviceState, type Presence, topicFor } from '../../protocol/index.js';
import { BoardModel } from '../../switchboard/board/model.js';
import { startModelSession } from '../support/board-session.js';
import { deskAgentHarness, EXT, LUNCH, ORG, presenceTopic } from '../support/desk-agent-harness.js';
import { type NatsCluster, startNatsCluster } from '../support/nats.js';
import { startRabbitMq } from '../support/rabbitmq.js';
import { retainedAs } from '../support/retained.js';

const { config, agentOn, observe, onCleanup } = deskAgentHarness();

/** A broker under test: `url(i)` is where the i-th client of a case connects (a node of a cluster). */
interface Broker {
  url(i: number): string;
  dispose(): Promise<void>;
}

/** The cases a broker is known to break (each runs as `it.fails` on it). */
type Case = 'retained-to-wildcard' | 'retained-will' | 'dot-in-topic';

function neutralSet(name: string, start: () => Promise<Broker>, breaks: Case[]) {
  const known = (c: Case) => (breaks.includes(c) ? it.fails : it);
  describe(name, () => {
    let broker: Broker;
    beforeAll(async () => {
      broker = await start();
    }, 180_000);
    afterAll(async () => {
      await broker?.dispose();
    }, 60_000);

    it("a key press reaches the board live and stays retained on the desk's own topic", async () => {
      const model = new BoardModel();
      const board = await startModelSession({ brokerUrl: broker.url(0), model, orgs: [ORG] });
      onCleanup(() => board.close());
      await board.ready;
      // the agent's default keep-alive (10 s): NATS stalls a connection for up to 4 s on a JetStream call
      const { agent, panel } = await agentOn(config(broker.url(1), { broker: { url: broker.url(1) } }));
      await vi.waitFor(() => expect(agent.link).toBe('online'), { timeout: 15_000 });
      panel.tap(LUNCH);
      await vi.waitFor(() => expect(agent.pending).toBe(false), { timeout: 15_000 });
      await vi.waitFor(() => expect(model.row(ORG, EXT)?.reason).toBe('lunch'), { timeout: 15_000 });
      const kept = (await retainedAs(broker.url(2), {}, [presenceTopic], `hanvisa/v1/${ORG}/probe-key`)).get(
        presenceTopic,
      );
      expect((JSON.parse(String(kept?.payload)) as Presence).reason).toBe('lunch');
      expect(kept?.qos).toBe(1);
    });

    it("a desk's will reaches a subscriber when its connection dies (the offline lamp)", async () => {
      const deviceId = 'will-desk';
      const topic = topicFor({ kind: 'device-state', org: ORG, deviceId });
      const obs = await observe(broker.url(0), topic);
      const offline = JSON.stringify({ v: 1, online: false, at: new Date().toISOString() });
      const desk = await mqtt.connectAsync(broker.url(1), {
        protocolVersion: 4,
        reconnectPeriod: 0,
        will: { topic, payload: Buffer.from(offline), qos: 1, retain: true },
      });
      desk.stream.destroy();
      await vi.waitFor(() => expect((obs.last(topic) as DeviceState | undefined)?.online).toBe(false), {
        timeout: 15_000,
      });
      await desk.endAsync(true);
    });

    known('retained-to-wildcard')(
      'retained state reaches a wildcard subscription (the board cold start)',
      async () => {
        const topic = topicFor({ kind: 'presence', org: ORG, ext: '9001' });
        const publisher = await mqtt.connectAsync(broker.url(0), { protocolVersion: 4, reconnectPeriod: 0 });
        onCleanup(() => publisher.endAsync(true));
        await publisher.publishAsync(topic, JSON.stringify({ marker: 1 }), { qos: 1, retain: true });
        const seen = await retainedAs(
          broker.url(1),
          {},
          [`hanvisa/v1/${ORG}/#`],
          `hanvisa/v1/${ORG}/probe-wild`,
        );
        expect(seen.has(topic)).toBe(true);
      },
    );

    // So the offline lamp a will set is seen live only: a board started later does not see it.
    known('retained-will')('a will published retained is kept for a later wildcard subscriber', async () => {
      const topic = topicFor({ kind: 'device-state', org: ORG, deviceId: 'will-desk' });
      const seen = await retainedAs(
        broker.url(2),
        {},
        [`hanvisa/v1/${ORG}/#`],
        `hanvisa/v1/${ORG}/probe-will`,
      );
      expect(seen.has(topic)).toBe(true);
    });

    it('a QoS 2 subscription is granted QoS 1 (hanvisa uses QoS 1 only)', async () => {
      const client = await mqtt.connectAsync(broker.url(0), { protocolVersion: 4, reconnectPeriod: 0 });
      onCleanup(() => client.endAsync(true));
      const granted = await client.subscribeAsync('hanvisa/v1/probe/qos2', { qos: 2 });
      expect(granted.map((g) => g.qos)).toEqual([1]);
    });

    // hanvisa's topic segments never hold a '.' (protocol/segments.ts); a broker that maps or refuses it
    // is fine for the contract, and this says which brokers do
    known('dot-in-topic')("a '.' in a topic reaches a subscriber of that very topic", async () => {
      const topic = `hanvisa/v1/${ORG}/probe.dot`;
      const obs = await observe(broker.url(0), topic);
      const publisher = await mqtt.connectAsync(broker.url(1), { protocolVersion: 4, reconnectPeriod: 0 });
      onCleanup(() => publisher.endAsync(true));
      await Promise.race([
        publisher.publishAsync(topic, JSON.stringify({ dot: 1 }), { qos: 1 }),
        new Promise((_, reject) => publisher.once('close', () => reject(new Error('connection closed')))),
      ]);
      await vi.waitFor(() => expect(obs.last(topic)).toEqual({ dot: 1 }), { timeout: 5000 });
    });
  });
}

// RabbitMQ 3.10 keeps retained messages per exact topic and hands them only to a subscription to that
// very topic: the board's `hanvisa/v1/{org}/#` cold start gets nothing, nor the offline lamp a will
// left retained. It maps MQTT '/' to AMQP '.', so a '.' becomes a level separator.
neutralSet('against RabbitMQ (rabbitmq_mqtt)', async () => {
  const rabbit = await startRabbitMq();
  return { url: () => rabbit.url, dispose: () => rabbit.dispose() };
}, ['retained-to-wildcard', 'retained-will', 'dot-in-topic']);

// NATS 2.9's MQTT front end closes the connection of a client that publishes or subscribes to a topic
// holding '.' or ' ' (they are NATS subject separators).
neutralSet("against a 3-node NATS cluster's MQTT front end (JetStream)", async () => {
  const nats = await startNatsCluster();
  return { url: (i) => nats.nodes[i % nats.nodes.length]?.url ?? '', dispose: () => nats.dispose() };
}, ['dot-in-topic']);

// What a cluster must do when it loses a node (docs/scale.md, "A regional host on NATS"): the clients of
// the lost node reconnect to another one and subscribe again there. NATS 2.9 makes each QoS 1
// subscription a JetStream consumer with as many replicas as the streams (3); with one node of three
// down no new such consumer can be placed, so every SUBSCRIBE is refused (0x80) until the node is back.
describe('a 3-node NATS cluster that loses a node', () => {
  let nats: NatsCluster;
  beforeAll(async () => {
    nats = await startNatsCluster();
  }, 120_000);
  afterAll(async () => {
    await nats?.dispose();
  });

  it.fails('a client of the lost node subscribes again on a surviving node', async () => {
    await nats.nodes[0]?.kill();
    const client = await mqtt.connectAsync(nats.urls(1), { protocolVersion: 4, reconnectPeriod: 0 }, false);
    onCleanup(() => client.endAsync(true));
    const granted = await client.subscribeAsync(`hanvisa/v1/${ORG}/#`, { qos: 1 });
    expect(granted.map((g) => g.qos)).toEqual([1]);
  });

  // Observed here: even 30 s after the node is back (JetStream current on it), SUBSCRIBE is still refused
  it.fails('with the node back, subscriptions are granted again within 30 s', async () => {
    await nats.nodes[0]?.start();
    // each try a new client, as a reconnecting desk would be
    await vi.waitFor(
      async () => {
        const client = await mqtt.connectAsync(
          nats.urls(1),
          { protocolVersion: 4, reconnectPeriod: 0 },
          false,
        );
        try {
          expect((await client.subscribeAsync(`hanvisa/v1/${ORG}/#`, { qos: 1 })).map((g) => g.qos)).toEqual([
            1,
          ]);
        } finally {
          await client.endAsync(true);
        }
      },
      { timeout: 30_000, interval: 500 },
    );
  }, 60_000);
});
