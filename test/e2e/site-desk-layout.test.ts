// Issue 24: after IT pushes a layout (`hanvisa devices assign --layout`, a device config over MQTT),
// the demo's virtual desk page captions each key with what it now does, live and after a reload.

import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, expect, it, vi } from 'vitest';
import { type Site, startSite } from '../../demo/site.js';
import { DEFAULT_REASONS, type KeyLayout } from '../../protocol/index.js';
import { devicesCommand } from '../../switchboard/provisioning/devices-command.js';
import { launchChromium } from '../support/browser.js';
import { ROOT } from '../support/build-product.js';
import { runCommand } from '../support/command.js';

const LAYOUT_FILE = join(ROOT, 'examples', 'layouts', 'kontaktcenter.json');
let site: Site;
let browser: Browser;

beforeAll(async () => {
  site = await startSite({ brokerPort: 0, boardPort: 0, desksPort: 0, staffPort: 0, desks: 4 });
  browser = await launchChromium();
});

afterAll(async () => {
  await browser?.close();
  await site?.close();
});

const key = (page: Page, n: number) => page.locator(`button[data-key="${n}"]`);
const name = (page: Page, n: number) => key(page, n).locator('.name').textContent();

it('captions follow a pushed layout: each captioned key sets the reason it names', async () => {
  const agent = site.agents.get('2001');
  await vi.waitFor(() => expect(agent?.presence?.status).toBe('available'), { timeout: 5000 });
  const page = await browser.newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.goto(`${site.desksUrl}/desk/2001`);
  expect(await name(page, 5)).toBe('Tjänsteresa'); // the default layout
  expect(await name(page, 7)).toBe('Semester/ledig');

  const pushed = await runCommand(devicesCommand, [
    'assign',
    '--org',
    'demo',
    '--broker',
    site.brokerUrl,
    '--device',
    'desk-2001',
    '--layout',
    LAYOUT_FILE,
  ]);
  expect(pushed.code, pushed.stdout + pushed.stderr).toBe(0);

  // the open page follows without a reload
  await expect.poll(() => name(page, 5)).toBe('Gått för dagen');
  expect(await name(page, 7)).toBe('Tangent 7');
  for (const reload of [false, true]) {
    if (reload) await page.reload();
    const layout = JSON.parse(await readFile(LAYOUT_FILE, 'utf8')) as KeyLayout;
    for (const { key: n, action } of layout.keys) {
      if (action.type !== 'reason') continue;
      const caption = DEFAULT_REASONS.find((r) => r.code === action.reason)?.labels.sv;
      expect(await name(page, n), `key ${n}`).toBe(caption);
      await page.getByRole('button', { name: caption }).click();
      await vi.waitFor(() => expect(agent?.presence?.reason, caption).toBe(action.reason), { timeout: 5000 });
    }
    // a key the layout leaves empty does nothing and says so by its number only
    const before = agent?.presence;
    // the press is handled before the page gets its answer
    await Promise.all([page.waitForResponse((r) => r.url().endsWith('/keys')), key(page, 7).click()]);
    expect(agent?.presence).toEqual(before);
    // lamps are captioned where they now sit: the queue lamp on key 10, none left on key 9's old place
    expect(await key(page, 10).locator('.caption').textContent()).toBe('Kö kontaktcenter');
    expect(await page.locator('#led-10').getAttribute('aria-label')).toMatch(/^Kö kontaktcenter: /);
    expect(await page.locator('#led-7').getAttribute('aria-label')).toMatch(/^LED 7: /);
    expect(await key(page, 7).locator('.caption').isHidden()).toBe(true);
  }
  expect(errors).toEqual([]);
  await page.close();
});
