// `hanvisa agent` in-process against Mosquitto: it comes online, and an orderly stop (SIGINT) publishes
// offline itself rather than leaving it to the will.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import mqtt from 'mqtt';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { agentCommand } from '../../agent/command.js';
import { UsageError } from '../../cli/usage-error.js';
import { type DeviceState, topicFor } from '../../protocol/index.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

describe('hanvisa agent', () => {
  let mosquitto: Mosquitto;
  let dir: string;
  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-cli-'));
  });
  afterAll(async () => {
    await mosquitto.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  /** A config file for a desk, and its device state as a subscriber sees it. */
  async function desk(ext: string, deviceId: string) {
    const path = join(dir, `${deviceId}.json`);
    const config = {
      org: 'clikommun',
      ext,
      deviceId,
      broker: { url: mosquitto.url },
      journalPath: `${deviceId}.journal`,
    };
    await writeFile(path, JSON.stringify(config));
    const observer = await mqtt.connectAsync(mosquitto.url, { protocolVersion: 4 });
    const states: DeviceState[] = [];
    observer.on('message', (_t, p) => states.push(JSON.parse(p.toString())));
    await observer.subscribeAsync(topicFor({ kind: 'device-state', org: 'clikommun', deviceId }), { qos: 1 });
    return { path, states, observer };
  }

  it('runs from a config file and stops cleanly on SIGINT, saying offline itself', async () => {
    const { path, states, observer } = await desk('300', 'desk-cli');
    const out = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const running = agentCommand(['--config', path]);
      await vi.waitFor(() => expect(states.at(-1)?.online).toBe(true), { timeout: 5000 });
      process.emit('SIGINT');
      await running;
      await vi.waitFor(() => expect(states.at(-1)).toMatchObject({ online: false, ext: '300' }), {
        timeout: 5000,
      });
      expect(states.at(-1)?.at).toBeDefined(); // ours: the will carries no time
      expect(process.listenerCount('SIGINT')).toBe(0);
    } finally {
      out.mockRestore();
      await observer.endAsync();
    }
  });

  it('runs on a Firmata panel that is not plugged in yet (--driver firmata --port), and stops', async () => {
    const { path, states, observer } = await desk('301', 'desk-cli-firmata');
    try {
      const port = join(dir, 'no-such-tty');
      const running = agentCommand(['--config', path, '--driver', 'firmata', '--port', port]);
      await vi.waitFor(() => expect(states.at(-1)?.online).toBe(true), { timeout: 5000 });
      process.emit('SIGINT');
      await running;
      await vi.waitFor(() => expect(states.at(-1)?.online).toBe(false), { timeout: 5000 });
    } finally {
      await observer.endAsync();
    }
  });

  it('refuses a bad config naming the field, and an unavailable driver', async () => {
    const path = join(dir, 'bad.json');
    await writeFile(
      path,
      JSON.stringify({ org: 'x', ext: '1', deviceId: 'd', broker: { url: 'nope' }, journalPath: 'j' }),
    );
    await expect(agentCommand(['--config', path])).rejects.toThrow(/broker\.url: Invalid URL/);
    const good = join(dir, 'good.json');
    await writeFile(
      good,
      JSON.stringify({ org: 'x', ext: '1', deviceId: 'd', broker: { url: mosquitto.url }, journalPath: 'j' }),
    );
    await expect(agentCommand(['--config', good, '--driver', 'bluetooth'])).rejects.toThrow(
      /driver "bluetooth" is not available/,
    );
    await expect(agentCommand(['--config', good, '--driver', 'firmata'])).rejects.toThrow(
      /--driver firmata needs driver\.path in the config, or --port/,
    );
    await expect(agentCommand(['--config', good, '--port', '/dev/ttyACM0'])).rejects.toThrow(
      /--port is for the serial and firmata drivers, not virtual/,
    );
    await expect(agentCommand(['--config', good, '--driver', 'hid'])).rejects.toThrow(
      /--driver hid needs a driver of type hid/,
    );
    await expect(agentCommand([])).rejects.toThrow(/--config is required/);
    // a usage error: the CLI exits 2 for it, like every other command's misuse
    await expect(agentCommand([])).rejects.toBeInstanceOf(UsageError);
  });
});
