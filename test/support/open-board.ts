// A board in open access (everyone an operator) on the embedded broker, holding `messages` retained,
// and Chromium to look at it: for the page tests that need no login and no desk. The broker and the
// board stop and start again on their ports: the outages a page must show and recover from.
import mqtt from 'mqtt';
import type { Browser, Page } from 'playwright-core';
import { expect } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { publishMessage } from '../../switchboard/publish.js';
import { launchChromium } from './browser.js';

/** Grästorp's settings (Stockholm, 08:00–17:00), for the page tests of one organisation. */
export const GRASTORP_ORG: Message = {
  kind: 'directory-org',
  org: 'grastorp',
  body: {
    v: 1,
    name: 'Grästorps kommun',
    greeting: 'Välkommen till Grästorps kommun',
    timeZone: 'Europe/Stockholm',
    locale: 'sv',
    workday: { from: '08:00', to: '17:00' },
    onReturn: 'overdue',
    callback: 'next-working-day',
  },
};

/** Waits until `read` gives `expected`, running the page's fake clock on (its frames and timers run only so). */
export const untilOnClock = (page: Page, read: () => Promise<unknown>, expected: unknown) =>
  expect
    .poll(
      async () => {
        await page.clock.runFor(100);
        return read();
      },
      { timeout: 20_000 },
    )
    .toEqual(expected);

export interface OpenBoard {
  board: Board;
  browser: Browser;
  /** publishes more, retained */
  publish(messages: readonly Message[]): Promise<void>;
  stopBroker(): Promise<void>;
  /** the broker again on its port, with everything published so far */
  startBroker(): Promise<void>;
  stopBoard(): Promise<void>;
  /** the board again on its port (`board` is then the new one) */
  startBoard(): Promise<void>;
  close(): Promise<void>;
}

/**
 * The board's page as an operator opens it (Swedish, a desktop screen), live: its script errors are
 * collected in `problems` for the test to assert empty.
 */
export async function liveBoardPage(site: OpenBoard, problems: string[]): Promise<Page> {
  const page = await site.browser.newPage({ locale: 'sv-SE', viewport: { width: 1440, height: 900 } });
  page.setDefaultTimeout(10_000);
  page.on('pageerror', (e) => problems.push(e.message));
  await page.goto(site.board.url);
  await page.locator('[data-testid="conn"][data-state="live"]').waitFor();
  return page;
}

export async function openBoard(messages: readonly Message[]): Promise<OpenBoard> {
  let broker: EmbeddedBroker = await startEmbeddedBroker({ port: 0 });
  const port = broker.port;
  const published: Message[] = [];
  const publish = async (more: readonly Message[]) => {
    const client = await mqtt.connectAsync(broker.url, { protocolVersion: 4, reconnectPeriod: 0 });
    for (const m of more) await publishMessage(client, m);
    await client.endAsync();
    published.push(...more);
  };
  await publish(messages);
  const boardOn = async (boardPort: number) => {
    const started = await startBoard({ brokerUrl: broker.url, port: boardPort });
    await started.session.ready;
    return started;
  };
  let board = await boardOn(0);
  const browser = await launchChromium();
  return {
    get board() {
      return board;
    },
    browser,
    publish,
    stopBroker: () => broker.close(),
    async startBroker() {
      broker = await startEmbeddedBroker({ port });
      const again = published.splice(0);
      await publish(again);
    },
    stopBoard: () => board.close(),
    async startBoard() {
      board = await boardOn(board.port);
    },
    async close() {
      await browser.close();
      await board.close();
      await broker.close();
    },
  };
}
