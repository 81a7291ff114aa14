// The board's banner per organisation while its phone system is unreachable: the simulated phone
// system behind the real bridge goes away, the board in Chromium says since when; back, it goes.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { type Simulator, startSimulator } from '../../switchboard/simulator/simulator.js';
import { launchChromium } from '../support/browser.js';

const ORG = 'demo';

describe('board page: phone system link banner', () => {
  let broker: EmbeddedBroker;
  let board: Board;
  let simulator: Simulator;
  let browser: Browser;
  let page: Page;

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    board = await startBoard({ brokerUrl: broker.url, port: 0, orgs: [ORG] });
    await board.session.ready;
    simulator = startSimulator({ brokerUrl: broker.url, org: ORG, seed: 3 });
    await simulator.ready;
    browser = await launchChromium();
    page = await browser.newPage();
  });
  afterAll(async () => {
    await browser?.close();
    await simulator?.stop();
    await board?.close();
    await broker?.close();
  });

  it('is hidden while the link is up, says "down since HH:MM" while down, and goes when it is back', async () => {
    await page.goto(new URL('?lang=en', board.url).href);
    const banner = page.locator('[data-testid="phone-banner"]');
    await page
      .locator('[data-testid="org-name"]', { hasText: 'Sjöviks kommun' })
      .waitFor({ timeout: 20_000 });
    expect(await banner.isHidden()).toBe(true);
    simulator.phone.setReachable(false);
    await banner.waitFor({ state: 'visible', timeout: 20_000 });
    expect(await banner.textContent()).toMatch(/^Phone system link down since \d\d:\d\d$/);
    simulator.phone.setReachable(true);
    await banner.waitFor({ state: 'hidden', timeout: 20_000 });
  });
});
