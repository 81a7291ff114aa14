// The desk agent through a real Mosquitto when things go wrong: presses while the broker is down, a
// broker gone silent (the link LED), restarts from the journal, a corrupt journal.
import { writeFile } from 'node:fs/promises';
import { createServer, type Server, type Socket, connect as tcpConnect } from 'node:net';
import fc from 'fast-check';
import { afterAll, beforeAll, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Presence } from '../../protocol/index.js';
import {
  deskAgentHarness,
  LINK_LED,
  LUNCH,
  MEETING,
  OPEN,
  presenceTopic,
  publishRaw,
  retained,
} from '../support/desk-agent-harness.js';
import { freePort, type Mosquitto, startMosquitto } from '../support/mosquitto.js';

const { config, agentOn, observe, onCleanup } = deskAgentHarness();

describe('desk agent through Mosquitto: faults and restarts', () => {
  let mosquitto: Mosquitto;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
  });
  afterAll(async () => {
    await mosquitto.dispose();
  });
  beforeEach(async () => {
    await mosquitto.start();
    await publishRaw(mosquitto.url, presenceTopic, '');
  });

  it('presses while the broker is down: the broker ends with the final state, across cycles', async () => {
    const { agent, panel } = await agentOn(config(mosquitto.url));
    await vi.waitFor(() => expect(agent.presence?.status).toBe('available'), { timeout: 5000 });
    // Random presses per cycle (a failure names them); hold = a long press.
    const cycles = fc.sample(
      fc.array(fc.record({ key: fc.integer({ min: 0, max: 10 }), long: fc.boolean() }), {
        minLength: 1,
        maxLength: 8,
      }),
      5,
    );
    for (const presses of cycles) {
      await mosquitto.kill();
      await vi.waitFor(() => expect(agent.link).toBe('offline'), { timeout: 5000 });
      // the first press makes sure something changed while the broker was away
      panel.tap(agent.presence?.status === 'away' ? OPEN : LUNCH);
      for (const { key, long } of presses) {
        if (long) panel.hold(key);
        else panel.tap(key);
      }
      const final = agent.presence;
      expect(agent.pending).toBe(true);
      await mosquitto.start();
      // A broker without persistence comes back empty: the agent heals it with its latest state.
      await vi.waitFor(() => expect(agent.pending).toBe(false), { timeout: 8000 });
      const got = await retained(mosquitto.url, presenceTopic);
      expect(got?.body, JSON.stringify(presses)).toEqual(final);
    }
  });

  it('the link LED says offline within one keep-alive of a silent broker', async () => {
    // A TCP relay we can freeze: the broker stops answering without closing anything, like a cut cable.
    let frozen = false;
    const pairs = new Set<Socket>();
    const relay: Server = createServer((inbound) => {
      const outbound = tcpConnect({ port: mosquitto.port, host: '127.0.0.1' });
      for (const s of [inbound, outbound]) {
        pairs.add(s);
        s.on('error', () => {});
        s.once('close', () => pairs.delete(s));
      }
      inbound.on('data', (d) => !frozen && outbound.write(d));
      outbound.on('data', (d) => !frozen && inbound.write(d));
      inbound.once('close', () => outbound.destroy());
      outbound.once('close', () => inbound.destroy());
    });
    const port = await freePort();
    await new Promise<void>((resolve) => relay.listen(port, '127.0.0.1', resolve));
    onCleanup(
      () =>
        new Promise<void>((resolve) => {
          for (const s of pairs) s.destroy();
          relay.close(() => resolve());
        }),
    );
    const { agent, panel } = await agentOn(config(`mqtt://127.0.0.1:${port}`));
    await vi.waitFor(() => expect(agent.link).toBe('online'), { timeout: 5000 });
    expect(panel.frame[LINK_LED]?.pattern).toBe('off');
    frozen = true;
    const t0 = Date.now();
    await panel.waitForFrame((f) => f[LINK_LED]?.pattern === 'fast');
    const elapsed = Date.now() - t0;
    // keepaliveSeconds is 2: offline within 2 s (plus scheduling slack on a shared machine).
    expect(elapsed).toBeLessThan(2000 + 250);
    expect(agent.link).toBe('offline');
  });

  it('a restart from the journal never publishes available in between', async () => {
    const cfg = config(mosquitto.url);
    const first = await agentOn(cfg);
    await vi.waitFor(() => expect(first.agent.presence?.status).toBe('available'), { timeout: 5000 });
    first.panel.tap(LUNCH);
    await vi.waitFor(() => expect(first.agent.pending).toBe(false), { timeout: 5000 });
    const lunch = first.agent.presence;
    await first.agent.stop();
    // The broker lost its store too (restart without persistence): only the journal knows.
    await mosquitto.stop();
    await mosquitto.start();
    const obs = await observe(mosquitto.url, presenceTopic);
    const second = await agentOn(cfg);
    expect(second.agent.presence).toEqual(lunch);
    await vi.waitFor(() => expect(obs.seen.length).toBeGreaterThan(0), { timeout: 5000 });
    await vi.waitFor(() => expect(second.agent.pending).toBe(false), { timeout: 5000 });
    expect(obs.seen.map((m) => (m.body as Presence).status)).not.toContain('available');
    expect(obs.last(presenceTopic)).toEqual(lunch);
  });

  it('a corrupt journal publishes nothing until the broker has shown its presence', async () => {
    const cfg = config(mosquitto.url);
    const first = await agentOn(cfg);
    await vi.waitFor(() => expect(first.agent.presence?.status).toBe('available'), { timeout: 5000 });
    first.panel.tap(MEETING);
    await vi.waitFor(() => expect(first.agent.pending).toBe(false), { timeout: 5000 });
    const meeting = first.agent.presence;
    await first.agent.stop();
    await writeFile(cfg.journalPath, '{"v":1,"presence":{"v":1,"sta');
    const obs = await observe(mosquitto.url, presenceTopic);
    await vi.waitFor(() => expect(obs.seen).toHaveLength(1), { timeout: 5000 });
    const second = await agentOn(cfg);
    expect(second.agent.presence).toBeUndefined();
    await vi.waitFor(() => expect(second.agent.presence).toEqual(meeting), { timeout: 5000 });
    expect(obs.seen).toHaveLength(1);
    await second.agent.stop();

    // Broker empty as well: the desk knows nothing and claims nothing.
    await writeFile(cfg.journalPath, 'garbage');
    await publishRaw(mosquitto.url, presenceTopic, '');
    const third = await agentOn(cfg);
    await vi.waitFor(() => expect(third.agent.link).toBe('online'), { timeout: 5000 });
    await vi.waitFor(() => expect(third.agent.synced).toBe(true), { timeout: 5000 });
    expect(third.agent.presence).toBeUndefined();
    expect(obs.seen.map((m) => m.body)).toEqual([meeting, null]); // ours, and the clearing above
    expect(third.panel.frame[OPEN]?.pattern).toBe('off');
  });
});
