// The one-shot broker connection of IT's commands (`hanvisa import`, `hanvisa devices`): connect once
// without reconnects, read what the broker retains, and fail instead of hanging when the link drops.
import type { MqttClient } from 'mqtt';
import type { CommandContext } from '../cli/context.js';
import { UsageError } from '../cli/usage-error.js';
import { ConfigFileError } from '../config/json-file.js';
import { type BrokerLogin, connectOnce as connectClientOnce, uniqueClientId } from '../mqtt/client.js';
import { matchesFilter } from '../protocol/index.js';

/** Connects with a clean session and no reconnects: a command that lost its broker fails. */
function connectOnce(url: string, name: string, login: BrokerLogin): Promise<MqttClient> {
  return connectClientOnce({
    url,
    connectTimeoutMs: 10_000,
    clientId: uniqueClientId(name),
    ...login,
  });
}

/**
 * Runs a one-shot command's body: a UsageError prints its message and the usage (exit 2), a file it
 * was given that cannot be used its message alone (exit 2, as the docs say), any other error, such as
 * the broker refusing or going away halfway, its message (exit 1). The connections the body opened
 * with `connect` are closed either way.
 */
export async function oneShot(
  command: string,
  usage: string,
  ctx: CommandContext,
  body: (connect: (url: string, login: BrokerLogin) => Promise<MqttClient>) => Promise<number>,
): Promise<number> {
  const opened: MqttClient[] = [];
  try {
    return await body(async (url, login) => {
      try {
        opened.push(await connectOnce(url, command, login));
      } catch (e) {
        throw new Error(`cannot connect to ${url}: ${(e as Error).message}`);
      }
      return opened.at(-1) as MqttClient;
    });
  } catch (e) {
    if (e instanceof UsageError) {
      ctx.stderr.write(`hanvisa ${command}: ${e.message}\n${usage}`);
      return 2;
    }
    if (e instanceof ConfigFileError) {
      ctx.stderr.write(`hanvisa ${command}: ${e.message}\n`);
      return 2;
    }
    ctx.stderr.write(`hanvisa ${command}: ${(e as Error).message}\n`);
    return 1;
  } finally {
    // force when the connection is gone: a graceful end would wait for acks that cannot come
    for (const client of opened) await client.endAsync(!client.connected);
  }
}

/**
 * Hands every retained message under `filter` to `onMessage`. MQTT 3.1.1 has no "end of retained
 * messages" marker, so the broker counts as done once no message has arrived for `settleMs` after the
 * subscription.
 */
export async function readRetained(
  client: MqttClient,
  filter: string,
  settleMs: number,
  onMessage: (topic: string, payload: Buffer) => void,
): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  let settle = () => {};
  const settled = new Promise<void>((resolve) => {
    settle = () => {
      clearTimeout(timer);
      timer = setTimeout(resolve, settleMs);
    };
  });
  const listener = (topic: string, payload: Buffer) => {
    if (!matchesFilter(filter, topic)) return;
    settle();
    onMessage(topic, payload);
  };
  client.on('message', listener);
  try {
    const read = async () => {
      await client.subscribeAsync(filter, { qos: 1 });
      settle();
      await settled;
      // The broker need not send our own publishes back.
      await client.unsubscribeAsync(filter);
    };
    await whileConnected(client, read(), `while reading ${filter}`);
  } finally {
    clearTimeout(timer);
    client.off('message', listener);
  }
}

/**
 * Without reconnects, mqtt.js keeps a subscribe or an unacknowledged publish waiting forever once the
 * connection drops: fail the command instead.
 */
export async function whileConnected<T>(client: MqttClient, work: Promise<T>, what: string): Promise<T> {
  let onClose = () => {};
  const lost = new Promise<never>((_, reject) => {
    onClose = () => reject(new Error(`the broker connection dropped ${what}`));
    // already gone (between two batches of a long publish): no 'close' is coming
    if (!client.connected) onClose();
    else client.once('close', onClose);
  });
  // once the race is lost, a late rejection of the abandoned work is expected, not unhandled
  work.catch(() => {});
  try {
    return await Promise.race([work, lost]);
  } finally {
    client.off('close', onClose);
  }
}
