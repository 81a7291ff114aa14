// Feeds the board from the broker: one subscription per organisation (or all of them), every message
// through decode() once and out on the board's event bus (events.ts), where the model and the other
// extensions listen; retained state picked up on (re)connect because the session is clean.
import type { MqttClient } from 'mqtt';
import { EventBus } from '../../events/bus.js';
import { createLogger } from '../../log/logger.js';
import type { BrokerLogin } from '../../mqtt/client.js';
import { createClient, reportConnectionErrors } from '../../mqtt/client.js';
import { decode, type Message, orgFilter } from '../../protocol/index.js';
import { publishMessage } from '../publish.js';
import type { BoardBus, BoardEvents } from './events.js';
import type { BoardModel } from './model.js';

export interface IngestOptions {
  brokerUrl: string;
  model: BoardModel;
  /** organisations to show; default every organisation on the broker */
  orgs?: string[];
  clientId?: string;
  /** the board's broker login (a production broker admits nobody anonymously: deploy/mosquitto) */
  credentials?: BrokerLogin;
}

export interface Ingest {
  readonly client: MqttClient;
  /** each message decoded once, refusals, broker up/down: where the board's extensions subscribe */
  readonly events: BoardBus;
  /** resolves once subscribed; retained state then streams in */
  ready: Promise<void>;
  connected(): boolean;
  /** Publishes one contract message (encode() picks topic, retain, QoS); resolves once the broker has it. */
  publish(message: Message): Promise<void>;
  close(): Promise<void>;
}

const log = createLogger('board-ingest');

export function startIngest(options: IngestOptions): Ingest {
  // Validated here (orgFilter throws on a bad org) before any connection is made.
  const filters = (options.orgs?.length ? options.orgs : ['+']).map((org) => orgFilter(org));
  const client = createClient({
    url: options.brokerUrl,
    clientId: options.clientId ?? `hanvisa-board-${process.pid}-${Math.random().toString(16).slice(2, 10)}`,
    reconnectMs: 1000,
    // we subscribe on every connect ourselves (below), so mqtt.js must not do it a second time
    resubscribe: false,
    connectTimeoutMs: 5000,
    ...options.credentials,
  });
  const events = new EventBus<BoardEvents>(log);
  // the model first: the extensions after it (the durable store, the desk's "handled") see it already applied
  options.model.attach(events);
  client.on('message', (topic, payload) => {
    const decoded = decode(topic, payload);
    if (decoded.ok) events.emit('message', { topic, payload, message: decoded.message });
    else events.emit('rejected', decoded);
  });
  reportConnectionErrors(client, log);
  client.on('offline', () => log.warn('broker unreachable; the board shows the last known state'));

  const ready = new Promise<void>((resolve) => {
    // On every (re)connect: a clean session has no subscriptions, and resubscribing brings the retained state.
    client.on('connect', () => {
      client.subscribe(Object.fromEntries(filters.map((topic) => [topic, { qos: 1 as const }])), (error) => {
        if (error) log.error('subscribe failed', { error: error.message });
        else {
          log.info('subscribed', { filters });
          resolve();
        }
      });
    });
  });
  client.on('connect', () => events.emit('broker', true));
  client.on('offline', () => events.emit('broker', false));
  client.on('close', () => events.emit('broker', false));

  return {
    client,
    events,
    ready,
    connected: () => client.connected,
    publish: (message) => publishMessage(client, message),
    close: () => new Promise<void>((resolve) => client.end(true, {}, () => resolve())),
  };
}
