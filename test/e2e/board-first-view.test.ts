// The page's first view in Chromium with more people than fit on a screen: the first screen is drawn
// in name order before the whole list is sorted and indexed for search (list.js), and then the whole
// list is there, in order, searchable; a delta meanwhile is not lost; a forward on the first screen
// names its colleague in the first frame, though the colleague's row is decoded after it (data.ts). The model is fed directly: this
// is about the page, not the ingest.
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type EmbeddedBroker, startEmbeddedBroker } from '../../switchboard/broker/embedded.js';
import { awayAt } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';

const ORG = 'testkommun';
const PEOPLE = 600;
const FIRST = ['Anna', 'Åsa', 'Örjan', 'Bertil', 'Östen', 'Zelda', 'Ärla', 'Cecilia', 'Erik', 'Karin'];
const LAST = ['Berg', 'Ek', 'Lund', 'Nyström', 'Åberg', 'Öhman', 'Svensson'];
const collator = new Intl.Collator('sv', { sensitivity: 'base', numeric: true });

describe('board page: first view of a long list', () => {
  let broker: EmbeddedBroker;
  let board: Board;
  let browser: Browser;
  let page: Page;
  const names: string[] = [];
  const extOf = new Map<string, string>();

  beforeAll(async () => {
    broker = await startEmbeddedBroker({ port: 0 });
    board = await startBoard({ brokerUrl: broker.url, port: 0 });
    await board.session.ready;
    // a fixed shuffle (i * 7919 mod PEOPLE), so the directory arrives in no particular order
    for (let i = 0; i < PEOPLE; i++) {
      const n = (i * 7919) % PEOPLE;
      const name = `${FIRST[n % FIRST.length]} ${LAST[n % LAST.length]} ${n}`;
      names.push(name);
      extOf.set(name, String(3000 + n));
      board.model.apply({
        kind: 'directory-person',
        org: ORG,
        ext: String(3000 + n),
        body: { v: 1, name, department: 'dept' },
      });
    }
    // the first person in order forwards to the last one: the first screen names the colleague, whose
    // row is decoded after it (data.ts firstScreen)
    const sorted = [...names].sort(collator.compare);
    board.model.apply({
      kind: 'presence',
      org: ORG,
      ext: extOf.get(sorted[0] as string) as string,
      body: awayAt(Date.now(), 1, 'lunch', null, {
        alt: { kind: 'forward', to: extOf.get(sorted.at(-1) as string) as string },
      }),
    });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  });
  afterAll(async () => {
    await browser?.close();
    await board?.close();
    await broker?.close();
  });

  const visibleNames = () =>
    page.$$eval('#list [data-testid="row"]:not([hidden])', (rows) =>
      rows
        .map((r) => ({
          y: Number(/translateY\((\d+)px\)/.exec((r as HTMLElement).style.transform)?.[1]),
          name: r.querySelector('.name')?.textContent ?? '',
        }))
        .sort((a, b) => a.y - b.y)
        .map((r) => r.name),
    );

  it('shows the first screen in order, then the whole list sorted and searchable', async () => {
    const sorted = [...names].sort(collator.compare);
    await page.addInitScript(() => {
      // the first row's alternative in the frame that first drew rows (observers run after it)
      new MutationObserver((_, observer) => {
        const alt = document.querySelector('#list [data-testid="row"] .c-alt');
        if (!alt) return;
        (window as unknown as { firstAlt?: string }).firstAlt = alt.textContent ?? '';
        observer.disconnect();
      }).observe(document, { subtree: true, childList: true, characterData: true });
    });
    await page.goto(board.url);
    await page.waitForSelector('#list [data-testid="row"]');
    const first = await visibleNames();
    expect(first.length).toBeGreaterThan(10);
    expect(first).toEqual(sorted.slice(0, first.length));
    // as first drawn, before the rest of the rows were decoded
    expect(await page.evaluate(() => (window as unknown as { firstAlt?: string }).firstAlt)).toBe(
      `→ ${extOf.get(sorted.at(-1) as string)} ${sorted.at(-1)}`,
    );

    // the whole list: the spacer is as tall as everyone, and the bottom is the last name
    await page.waitForFunction(
      (n) => (document.querySelector('#list .spacer') as HTMLElement).style.height === `${n * 30}px`,
      PEOPLE,
    );
    await page.$eval('#list', (l) => {
      l.scrollTop = l.scrollHeight;
    });
    await expect.poll(async () => (await visibleNames()).at(-1)).toBe(sorted.at(-1));

    // a person renamed now is moved into place, and search finds people by name
    board.model.apply({
      kind: 'directory-person',
      org: ORG,
      ext: '3000',
      body: { v: 1, name: 'Aaron Först', department: 'dept' },
    });
    await page.$eval('#list', (l) => {
      l.scrollTop = 0;
    });
    await expect.poll(async () => (await visibleNames())[0]).toBe('Aaron Först');
    await page.keyboard.type('zelda öhman');
    const hits = sorted.filter((n) => n.startsWith('Zelda Öhman')).length;
    expect(hits).toBeGreaterThan(0);
    await expect.poll(() => page.textContent('[data-testid="hits"]')).toBe(`${hits} / ${PEOPLE}`);
  });
});
