// A running desk agent on a virtual panel, default layout, its journal in a temp dir of its own: the
// desk whose lamps the board's end-to-end tests watch. stop() stops the agent and removes the dir.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';

export interface VirtualDesk {
  agent: Agent;
  panel: VirtualPanel;
  stop(): Promise<void>;
}

export async function startVirtualDesk(brokerUrl: string, org: string, ext: string): Promise<VirtualDesk> {
  const dir = await mkdtemp(join(tmpdir(), 'hanvisa-desk-'));
  const panel = new VirtualPanel();
  try {
    const agent = await startAgent(
      parseConfig({
        org,
        ext,
        deviceId: `desk-${ext}`,
        broker: { url: brokerUrl },
        journalPath: join(dir, 'journal.json'),
      }),
      { panel, settleMs: 100 },
    );
    const stop = async () => {
      await agent.stop();
      await rm(dir, { recursive: true, force: true });
    };
    return { agent, panel, stop };
  } catch (e) {
    await rm(dir, { recursive: true, force: true });
    throw e;
  }
}
