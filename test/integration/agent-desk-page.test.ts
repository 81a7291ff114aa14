// A virtual desk's web page in headless Chromium, driving a real agent through Mosquitto.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { deskCaptions } from '../../agent/desk/labels.js';
import { type Agent, startAgent } from '../../agent/runtime/agent.js';
import { parseConfig } from '../../agent/runtime/config.js';
import { VirtualPanel } from '../../hardware/virtual/panel.js';
import { type DeskPages, startDeskPages } from '../../hardware/virtual/web.js';
import { launchChromium } from '../support/browser.js';
import { type Mosquitto, startMosquitto } from '../support/mosquitto.js';

describe('virtual desk page', () => {
  let mosquitto: Mosquitto;
  let dir: string;
  let agent: Agent;
  let pages: DeskPages;
  let browser: Browser;
  const panel = new VirtualPanel();

  beforeAll(async () => {
    mosquitto = await startMosquitto();
    dir = await mkdtemp(join(tmpdir(), 'hanvisa-desk-page-'));
    const cfg = parseConfig({
      org: 'testkommun',
      ext: '200',
      deviceId: 'desk-page',
      broker: { url: mosquitto.url },
      queues: ['main'],
      journalPath: join(dir, 'journal.json'),
    });
    agent = await startAgent(cfg, { panel, settleMs: 100 });
    pages = await startDeskPages({
      panels: new Map([
        [
          'anna',
          {
            panel,
            label: 'Anna Andersson (200)',
            captions: () => deskCaptions(agent.layout, agent.reasons, 'sv'),
            watch: (listener) => agent.onChange(listener),
            longPressMs: 300,
          },
        ],
      ]),
    });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await pages?.close();
    await agent?.stop();
    await mosquitto?.dispose();
    await rm(dir, { recursive: true, force: true });
  });

  it('lists the desks, presses a key from a real button and shows the LED live', async () => {
    await vi.waitFor(() => expect(agent.presence?.status).toBe('available'), { timeout: 5000 });
    const page = await browser.newPage();
    const errors: string[] = [];
    page.on('console', (m) => m.type() === 'error' && errors.push(m.text()));
    await page.goto(pages.url);
    await page.getByRole('link', { name: 'Anna Andersson (200)' }).click();
    await expect.poll(() => page.locator('#led-0').getAttribute('class')).toBe('led on');
    await page.getByRole('button', { name: 'Lunch' }).click();
    await vi.waitFor(() => expect(agent.presence?.reason).toBe('lunch'), { timeout: 5000 });
    await expect.poll(() => page.locator('#led-1').getAttribute('class')).toBe('led on');
    await expect.poll(() => page.locator('#led-0').getAttribute('class')).toBe('led off');
    expect(await page.locator('#led-1').getAttribute('aria-label')).toBe('Lunch: tänd');
    // one language per key, and the hold hint only where holding differs: sick may be "until further
    // notice", lunch needs a return time (a long press is a press)
    expect(await page.getByRole('button', { name: 'Lunch' }).textContent()).toBe('Lunch');
    expect(await page.getByRole('button', { name: 'Sjuk' }).textContent()).toBe('Sjukhåll: tills vidare');
    // the lamp sits in its key's cap
    const led = await page.locator('#led-1').boundingBox();
    const key = await page.getByRole('button', { name: 'Lunch' }).boundingBox();
    expect(led && key && led.x > key.x && led.x + led.width < key.x + key.width && led.y > key.y).toBe(true);
    await page.emulateMedia({ colorScheme: 'dark' });
    await page.screenshot({ path: 'test-results/desk-page-dark.png' });
    await page.emulateMedia({ colorScheme: 'light' });
    await page.screenshot({ path: 'test-results/desk-page.png' });
    // A pointer held past the organisation's long-press time (300 ms here) is a long press: sick until
    // further notice while the button is still down.
    expect(await page.locator('main').getAttribute('data-long-press')).toBe('300');
    await page.getByRole('button', { name: 'Sjuk' }).hover();
    await page.mouse.down();
    await vi.waitFor(() => expect(agent.presence).toMatchObject({ reason: 'sick', until: null }), {
      timeout: 5000,
    });
    await page.mouse.up();
    await page.getByRole('button', { name: 'Lunch' }).click();
    await vi.waitFor(() => expect(agent.presence?.reason).toBe('lunch'), { timeout: 5000 });
    // Shift+click is the keyboard-friendly long press: sick until further notice.
    await page.getByRole('button', { name: 'Sjuk' }).click({ modifiers: ['Shift'] });
    await vi.waitFor(() => expect(agent.presence).toMatchObject({ reason: 'sick', until: null }), {
      timeout: 5000,
    });
    expect(errors).toEqual([]);
    await page.close();
  });

  it('refuses bad requests with a reason and presses nothing', async () => {
    const before = agent.presence;
    const post = (path: string, body: string, type = 'application/json') =>
      fetch(`${pages.url}${path}`, { method: 'POST', headers: { 'content-type': type }, body });
    const cases: [Response, number, string][] = [
      [await post('/desk/anna/keys', '{"key":99}'), 400, 'key: an integer 0..11'],
      [await post('/desk/anna/keys', '{"key":1,"gesture":"smash"}'), 400, 'gesture: one of'],
      [await post('/desk/anna/keys', 'nope'), 400, 'body is not JSON'],
      [await post('/desk/anna/keys', '{"key":1}', 'text/plain'), 415, 'content-type'],
      [await post('/desk/anna/keys', JSON.stringify({ key: 1, pad: 'x'.repeat(5000) })), 413, 'larger than'],
      [await post('/desk/bertil/keys', '{"key":1}'), 404, 'no such desk'],
      [await fetch(`${pages.url}/desk/anna/keys`), 405, 'method not allowed'],
    ];
    for (const [res, status, reason] of cases) {
      expect(res.status).toBe(status);
      expect(await res.text()).toContain(reason);
    }
    expect(pages.rejected).toBe(cases.length);
    expect(agent.presence).toBe(before);
  });
});
