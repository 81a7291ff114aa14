// What the calendar bridge is started with: its own module, so the features' shared context
// (context.ts) and the config file's reader can name it without importing the bridge.
import type { BrokerLogin } from '../../mqtt/client.js';
import type { Clock } from '../../rules/clock.js';
import type { PrefixRule } from './prefixes.js';
import type { CalendarSource } from './source.js';

export interface CalendarPerson {
  ext: string;
  source: CalendarSource;
}

export interface BridgeOptions {
  brokerUrl: string;
  login?: BrokerLogin;
  org: string;
  people: readonly CalendarPerson[];
  rules: readonly PrefixRule[];
  gapMinutes: number;
  privateReason: string;
  pollMs: number;
  /** how far ahead entries are read (a vacation's return date must be inside; default 60 days) */
  windowDays?: number;
  /** how long the broker must stay quiet after subscribing before retained presences count as read */
  settleMs?: number;
  clock?: Clock;
}
