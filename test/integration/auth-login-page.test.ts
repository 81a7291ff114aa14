// The login page in a real headless Chromium: keyboard login under the strict CSP, failures, logout.
import { mkdirSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { authSites } from '../support/auth-site.js';
import { launchChromium } from '../support/browser.js';

const sites = authSites();

describe('the login page in Chromium', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('logs in with the keyboard under the strict CSP, shows failures, and logs out', async () => {
    const site = await sites.start();
    const context = await browser.newContext({ locale: 'sv-SE' });
    sites.onCleanup(() => context.close());
    const page = await context.newPage();
    page.setDefaultTimeout(10_000);
    // Script errors and CSP violations; the 401 of the failed login is logged too and expected.
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(e.message));

    await page.goto(site.url);
    expect(new URL(page.url()).pathname).toBe('/login');
    expect(await page.getAttribute('html', 'lang')).toBe('sv');
    // The stylesheet applied: the CSP let /login.css in.
    expect(await page.$eval('main', (m) => getComputedStyle(m).width)).toBe('352px');

    await page.keyboard.type('anna');
    await page.keyboard.press('Tab');
    await page.keyboard.type('fel lösenord');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#problem');
    expect(await page.textContent('#problem')).toBe('Fel användarnamn eller lösenord.');
    expect(await page.inputValue('#username')).toBe('anna');

    await page.fill('#password', 'anna-password-1');
    await Promise.all([page.waitForURL(site.url), page.press('#password', 'Enter')]);
    expect(await page.textContent('#who')).toBe('Anna Operatör (operator)');
    const cookie = (await context.cookies()).find((c) => c.name === 'hanvisa_session');
    expect(cookie).toMatchObject({ httpOnly: true, sameSite: 'Strict', secure: false, path: '/' });
    mkdirSync('test-results', { recursive: true });
    await page.screenshot({ path: 'test-results/auth-logged-in.png' });

    await Promise.all([page.waitForURL(/\/login$/), page.click('#logout')]);
    expect((await context.cookies()).some((c) => c.name === 'hanvisa_session')).toBe(false);
    await page.goto(`${site.origin}/login?lang=en`);
    expect(await page.textContent('h1')).toBe('Log in to the switchboard');
    await page.screenshot({ path: 'test-results/auth-login.png' });
    expect(problems).toEqual([]);
  });
});
