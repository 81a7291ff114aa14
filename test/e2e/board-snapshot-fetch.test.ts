// The page fetches its snapshot beside its stream (stream-open.ts, stream.ts): the stream says `ready`,
// the snapshot is fetched after it, and the deltas that come meanwhile are held and applied after the
// snapshot, in order. Chromium's own fetch is held back by a route here, so a change can be made while
// the snapshot is on its way; a snapshot that cannot be had is asked for again.
import type { Browser, Page, Route } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { availableAt, awayAt } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';

const ORG = 'testkommun';
const EXT = '4711';

describe('board page: the snapshot fetched beside the stream', () => {
  let broker: EmbeddedBroker;
  let board: Board;
  let browser: Browser;
  let page: Page;
  let seq = 0;
  const problems: string[] = [];

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    board = await startBoard({ brokerUrl: broker.url, port: 0 });
    await board.session.ready;
    board.model.apply({
      kind: 'directory-person',
      org: ORG,
      ext: EXT,
      body: { v: 1, name: 'Anna Berg', department: 'dept' },
    });
    board.model.apply({ kind: 'presence', org: ORG, ext: EXT, body: availableAt(Date.now(), ++seq) });
    browser = await launchChromium();
  });
  afterEach(async () => {
    await page?.context().close();
    expect(problems).toEqual([]);
  });
  afterAll(async () => {
    await browser?.close();
    await board?.close();
    await broker?.close();
  });

  const newPage = async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    page.on('pageerror', (e) => problems.push(e.message));
    // counts the stream's deltas as the page receives them (before its own handling)
    await page.addInitScript(() => {
      const counted = window as unknown as { deltasSeen: number };
      counted.deltasSeen = 0;
      const Native = window.EventSource;
      window.EventSource = class extends Native {
        constructor(...args: ConstructorParameters<typeof EventSource>) {
          super(...args);
          this.addEventListener('delta', () => {
            counted.deltasSeen++;
          });
        }
      };
    });
    return page;
  };
  const reasonShown = () => page.getAttribute(`#list [data-testid="row"][data-ext="${EXT}"]`, 'data-reason');

  it('applies a change made while the snapshot was on its way after the (older) snapshot', async () => {
    await newPage();
    let release: () => void = () => {};
    const released = new Promise<void>((resolve) => {
      release = resolve;
    });
    await page.route('**/api/snapshot*', async (route: Route) => {
      // the board as it is now (Anna available); she goes to lunch before the page gets it
      const response = await route.fetch();
      await released;
      await route.fulfill({ response });
    });
    await page.goto(board.url);
    await expect.poll(() => page.evaluate(() => document.readyState)).toBe('complete');
    board.model.apply({
      kind: 'presence',
      org: ORG,
      ext: EXT,
      body: awayAt(Date.now(), ++seq, 'lunch', Date.now() + 3_600_000),
    });
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { deltasSeen: number }).deltasSeen))
      .toBe(1);
    // the delta came first; the page shows nothing until the snapshot, then the delta on top of it
    expect(await page.$$('#list [data-testid="row"]')).toHaveLength(0);
    release();
    await expect.poll(reasonShown).toBe('lunch');
    await expect.poll(() => page.getAttribute('[data-testid="conn"]', 'data-state')).toBe('live');
  });

  it('asks again for a snapshot it could not have, and shows the board then', async () => {
    await newPage();
    let asked = 0;
    await page.route('**/api/snapshot*', async (route: Route) => {
      asked++;
      if (asked === 1) await route.fulfill({ status: 503, contentType: 'application/json', body: '{}' });
      else await route.continue();
    });
    await page.goto(board.url);
    await expect.poll(reasonShown, { timeout: 10_000 }).toBe('lunch');
    expect(asked).toBe(2);
    await expect.poll(() => page.getAttribute('[data-testid="conn"]', 'data-state')).toBe('live');
  });
});
