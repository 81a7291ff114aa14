// What the board-actions tests (over fetch and in Chromium) act against: a real Mosquitto holding the
// demo directory, retained, and one running desk agent on a virtual panel at an extension.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { publishMessage } from '../../switchboard/publish.js';
import { demoDirectory } from '../../switchboard/simulator/scenario.js';
import { type Mosquitto, startMosquitto } from './mosquitto.js';

export interface DemoDesk {
  mosquitto: Mosquitto;
  agent: Agent;
  panel: VirtualPanel;
  /** stops the agent and the broker and removes their files */
  stop(): Promise<void>;
}

export async function startDemoDesk(org: string, ext: string): Promise<DemoDesk> {
  const mosquitto = await startMosquitto();
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-demo-desk-'));
  let agent: Agent | undefined;
  const stop = async () => {
    await agent?.stop();
    await mosquitto.dispose();
    await rm(dir, { recursive: true, force: true });
  };
  try {
    const publisher = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    for (const m of demoDirectory(org)) {
      await publishMessage(publisher, m);
    }
    await publisher.endAsync();
    const panel = new VirtualPanel();
    agent = await startAgent(
      parseConfig({
        org,
        ext,
        deviceId: `desk-${ext}`,
        broker: { url: mosquitto.url },
        journalPath: join(dir, 'journal.json'),
      }),
      { panel, settleMs: 100 },
    );
    return { mosquitto, agent, panel, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}
