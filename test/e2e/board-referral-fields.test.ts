// Issue 24, item 1: the referral panel lists the reasons above the fields, so operators click the
// reason first and type the return date or time while "Skickas strax" counts down. What is in the
// fields when the write goes out is what is written: after the wait, with "Skicka nu", and with the
// reason's key again; typing starts the wait again; a time that no longer checks is said, not sent.
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Message } from '../../protocol/index.js';
import { GRASTORP_ORG, type OpenBoard, openBoard } from '../support/open-board.js';

const ORG = 'grastorp';
const EXT = '2101';
const ZONE = 'Europe/Stockholm';

const DIRECTORY: Message[] = [
  GRASTORP_ORG,
  { kind: 'directory-person', org: ORG, ext: EXT, body: { v: 1, name: 'Anna Berg', department: 'social' } },
];

/** "YYYY-MM-DD HH:MM" of an instant in Stockholm. */
const local = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString('sv-SE', { timeZone: ZONE }).slice(0, 16) : iso;

describe('a return time typed after the reason, in Chromium', () => {
  let site: OpenBoard;
  let page: Page;
  const problems: string[] = [];
  const presence = () => site.board.model.currentPresence(ORG, EXT);
  /** the page's frames and timers run only as the test advances its clock */
  const frames = () => page.clock.runFor(100);

  beforeAll(async () => {
    site = await openBoard(DIRECTORY);
    page = await site.browser.newPage({ locale: 'sv-SE', viewport: { width: 1280, height: 720 } });
    page.on('pageerror', (e) => problems.push(e.message));
  });

  afterAll(async () => {
    await site?.close();
    expect(problems).toEqual([]);
  });

  /** The page with its clock installed (fake), Anna's details open. */
  async function openAnna() {
    await page.clock.install({ time: Date.now() });
    await page.goto(site.board.url);
    await expect
      .poll(async () => {
        await frames();
        return page.locator('[data-testid="conn"][data-state="live"]').count();
      })
      .toBe(1);
    await page.keyboard.type('anna');
    await frames();
    await page.keyboard.press('Enter');
    await expect
      .poll(async () => {
        await frames();
        return page.getByTestId('act-sick').count();
      })
      .toBe(1);
  }

  /** A date three days ahead in Stockholm, as the date field takes it. */
  const inThreeDays = () =>
    new Date(Date.now() + 3 * 86_400_000).toLocaleDateString('sv-SE', { timeZone: ZONE });

  it('writes the date and time typed while "Skickas strax" counts down', async () => {
    await openAnna();
    const date = inThreeDays();
    await page.getByTestId('act-sick').click();
    expect(await page.getByTestId('act-pending').textContent()).toContain('Skickas strax: Sjuk');
    await page.getByTestId('act-until-date').fill(date);
    await page.getByTestId('act-until').fill('1015');
    await page.clock.runFor(5_100);
    await expect.poll(() => presence()?.reason).toBe('sick');
    expect(local(presence()?.until)).toBe(`${date} 10:15`);
    // the fields are emptied only after what they said was written
    await expect.poll(() => page.getByTestId('act-result').textContent()).toBe('Sparat');
    expect(await page.getByTestId('act-until').inputValue()).toBe('');
  });

  it('"Skicka nu" and the same reason again send what the fields hold then', async () => {
    await page.getByTestId('act-lunch').click();
    await page.getByTestId('act-until').fill('2345');
    await page.getByTestId('act-send').click();
    await expect.poll(() => presence()?.reason).toBe('lunch');
    expect(local(presence()?.until)?.slice(11)).toBe('23:45');

    await page.getByTestId('act-meeting').click();
    await page.getByTestId('act-until').fill('2350');
    await page.getByTestId('act-meeting').click();
    await expect.poll(() => presence()?.reason).toBe('meeting');
    expect(local(presence()?.until)?.slice(11)).toBe('23:50');
  });

  it('typing starts the wait again, so a half-typed time never goes out', async () => {
    const seq = presence()?.seq;
    await page.getByTestId('act-trip').click();
    await page.clock.runFor(4_000);
    await page.getByTestId('act-until').fill('23');
    await page.clock.runFor(4_000);
    await page.getByTestId('act-until').fill('2355');
    await page.clock.runFor(4_000);
    expect(presence()?.seq).toBe(seq);
    await page.clock.runFor(1_100);
    await expect.poll(() => presence()?.reason).toBe('trip');
    expect(local(presence()?.until)?.slice(11)).toBe('23:55');
  });

  it('a time that does not check when the write goes out is said next to its field; nothing is written', async () => {
    const seq = presence()?.seq;
    await page.getByTestId('act-course').click();
    await page.getByTestId('act-until').fill('25:99');
    await page.clock.runFor(5_100);
    await frames();
    expect(await page.getByTestId('err-until').textContent()).toBe('Skriv tiden som 1530 eller 15:30.');
    expect(await page.getByTestId('act-pending').isHidden()).toBe(true);
    expect(presence()?.seq).toBe(seq);
  });
});
