// The municipality's own login in a real browser: headless Chromium through the real provider's
// login page (oidc-provider 8 as its own process) and back, cookies and redirects as a browser keeps
// them: a staff member opens the staff page and refers their phone, an operator opens the board.
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createAuth } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { launchChromium } from '../support/browser.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';
import { freePort } from '../support/mosquitto.js';
import {
  boardOidc,
  type OidcProvider,
  SJOVIK_ACCOUNTS,
  startOidcProvider,
} from '../support/oidc-provider.js';

const ORG = 'demo';
const EXT = '2101';

let desk: DemoDesk;
let provider: OidcProvider;
let board: Board;
let browser: Browser;

beforeAll(async () => {
  desk = await startDemoDesk(ORG, EXT);
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/login/callback`;
  provider = await startOidcProvider({
    redirectUris: [redirectUri],
    control: SJOVIK_ACCOUNTS,
  });
  const oidc = boardOidc(provider, redirectUri, ORG, { operator: 'vaxeln', staff: 'personal' });
  board = await startBoard({ brokerUrl: desk.mosquitto.url, port, orgs: [ORG], auth: createAuth({ oidc }) });
  await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.status).toBe('available'), { timeout: 5000 });
  browser = await launchChromium();
}, 30_000);

afterAll(async () => {
  await browser?.close();
  await board?.close();
  await provider?.dispose();
  await desk?.stop();
});

/** Opens `path` on the board, logs in at the provider's page as `login`, and waits to be back on `path`. */
async function viaProvider(path: string, login: string) {
  const context = await browser.newContext({ locale: 'sv-SE' });
  const page = await context.newPage();
  page.setDefaultTimeout(15_000);
  await page.goto(new URL(path, board.url).href);
  await page.waitForURL((url) => url.origin === provider.issuer);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'any');
  await Promise.all([page.waitForURL(new URL(path, board.url).href), page.click('button[type="submit"]')]);
  return { page, context };
}

describe('login with the municipality’s provider, in Chromium', () => {
  it('takes a staff member to the staff page, where one tap refers their phone', async () => {
    const { page, context } = await viaProvider('/staff/', 'karin@sjovik.se');
    try {
      await page.getByTestId('reason-meeting').click();
      await page.locator('[data-testid="me-state"][data-reason="meeting"]').waitFor();
      expect(board.model.currentPresence(ORG, EXT)?.by).toEqual({ kind: 'desk', id: 'web:karin@sjovik.se' });
      await page.getByTestId('reopen').click();
      await page.locator('[data-testid="me-state"][data-state="available"]').waitFor();
    } finally {
      await context.close();
    }
  });

  it('takes an operator to the live board', async () => {
    const { page, context } = await viaProvider('/', 'olle@sjovik.se');
    try {
      await page.locator('[data-testid="conn"][data-state="live"]').waitFor();
      await page.locator(`[data-testid="row"][data-ext="${EXT}"]`).waitFor();
    } finally {
      await context.close();
    }
  });
});
