// Ending an MQTT connection within a bound. mqtt.js's graceful end waits for every PUBACK still due,
// without limit, and a second end() while it waits cannot force it; a broker that never acknowledges
// (a loaded NATS cluster did, for a desk's goodbye) would keep the stop open forever.
import type { MqttClient } from 'mqtt';
import type { Logger } from '../log/logger.js';

/**
 * Waits up to `ms` for the broker to acknowledge every publish still due, then ends gracefully
 * (DISCONNECT, so the broker discards the will), or drops the connection and logs it.
 */
export async function endWithin(client: MqttClient, ms: number, log: Logger): Promise<void> {
  // Not connected: nothing to flush, and a graceful end would wait on a connect that may never come.
  if (!client.connected) return client.endAsync(true);
  const drained =
    Object.keys(client.outgoing).length === 0 ||
    (await new Promise<boolean>((resolve) => {
      const done = () => {
        clearTimeout(bound);
        resolve(true);
      };
      const bound = setTimeout(() => {
        client.off('outgoingEmpty', done);
        resolve(false);
      }, ms);
      client.once('outgoingEmpty', done);
    }));
  if (!drained)
    log.warn(`the broker left publishes unacknowledged ${ms / 1000} s after stopping: connection dropped`, {
      unacknowledged: Object.keys(client.outgoing).length,
    });
  await client.endAsync(!drained);
}
