// Issue 27 end to end in headless Chromium, with every part real but the browser vendor's push service:
// Mosquitto, a desk agent on a virtual panel at the person's extension, the board logging people in
// through the municipality's provider (oidc-provider 8, its own process), the notifier (`hanvisa
// notify`) mailing through a real SMTP server (aiosmtpd) and pushing through a local Web Push service
// (test/support/push-service.ts: it checks the VAPID JWT and decrypts the payload as a browser would).
//
// - on a phone: a staff member logs in through the provider, refers with one tap (SAMSA §4.4: "via
//   webben eller mobilappen"; the desk's lamp and the operator's board follow), turns on "Påminn mig",
//   and extends from the nudge's action (Grästorp/Essunga: "om frånvarotiden inte går att hålla, gör
//   en förlängning omedelbart");
// - on a desktop: refers too; an operator takes a message, its e-mail arrives at the SMTP server, and
//   the one-click "handled" link opened in Chromium clears it on the board and on the staff page
//   (Guldborgsund, SAMSA §5: "elektronisk telefonbesked").
//
// Headless Chromium has no push service (its PushManager.subscribe fails: there is no vendor's service
// to register with), so the page's PushManager answers with a subscription on the local push service;
// the nudge the notifier sends there is handed to the page's service worker as Chromium's DevTools do
// (ServiceWorker.deliverPushMessage), which shows it; the tap on its action is the worker's own
// notificationclick (dispatched in the worker: a browser's notification cannot be clicked headless).
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AxeBuilder } from '@axe-core/playwright';
import mqtt from 'mqtt';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import webpush from 'web-push';
import { createAuth } from '../../switchboard/auth/index.js';
import { type Board, startBoard } from '../../switchboard/board/server.js';
import { type Notifier, startNotifier } from '../../switchboard/notify/notifier.js';
import { publishMessage } from '../../switchboard/publish.js';
import { tabTo } from '../support/board-page.js';
import { launchChromium } from '../support/browser.js';
import { type DemoDesk, startDemoDesk } from '../support/demo-desk.js';
import { type ManualClock, manualClock } from '../support/manual-clock.js';
import { freePort } from '../support/mosquitto.js';
import {
  boardOidc,
  type OidcProvider,
  SJOVIK_ACCOUNTS,
  startOidcProvider,
} from '../support/oidc-provider.js';
import { type PushService, type PushSubscriptionJson, startPushService } from '../support/push-service.js';
import { mailerFor, mailText, type SmtpServer, startSmtpServer } from '../support/smtp.js';

const ORG = 'demo';
const EXT = '2101';
const LUNCH_LED = 1; // DEFAULT_LAYOUT: LED 0 is "available", 1-8 lunch, meeting, out, sick, ...
const MEETING_LED = 2;
const AVAILABLE_LED = 0;
const PHONE = { viewport: { width: 390, height: 844 }, hasTouch: true, isMobile: true };
const DESKTOP = { viewport: { width: 1280, height: 800 } };
const SECRET = 'e2e-link-secret-'.padEnd(44, 'x');
const MIN = 60_000;

let desk: DemoDesk;
let provider: OidcProvider;
let smtp: SmtpServer;
let pushService: PushService;
let notifier: Notifier;
let board: Board;
let browser: Browser;
let dir: string;
// the notifier's clock: the nudge comes when the test moves it there, not minutes later
let clock: ManualClock;
const problems: string[] = [];
const vapid = { ...webpush.generateVAPIDKeys(), subject: 'mailto:it@sjovik.se' };

beforeAll(async () => {
  [desk, smtp, pushService, dir] = await Promise.all([
    startDemoDesk(ORG, EXT),
    startSmtpServer(),
    startPushService(vapid.publicKey),
    mkdtemp(join(tmpdir(), 'hanvisa-staff-notify-')),
  ]);
  // the person's address in the directory, where the notifier finds it
  const publisher = await mqtt.connectAsync(desk.mosquitto.url, { protocolVersion: 4 });
  await publishMessage(publisher, {
    kind: 'directory-person',
    org: ORG,
    ext: EXT,
    body: { v: 1, name: 'Karin Andersson', department: 'socialtjanst', email: 'karin@sjovik.se' },
  });
  await publisher.endAsync();
  clock = manualClock(Date.now());
  notifier = startNotifier({
    brokerUrl: desk.mosquitto.url,
    org: ORG,
    mailers: {
      email: mailerFor(smtp, 'vaxeln@sjovik.se'),
    },
    stateFile: join(dir, 'notify-state.json'),
    linkSecret: SECRET,
    http: { host: '127.0.0.1', port: 0 },
    clock,
    settleMs: 100,
    vapid,
  });
  await notifier.ready;
  const port = await freePort();
  const redirectUri = `http://127.0.0.1:${port}/login/callback`;
  provider = await startOidcProvider({
    redirectUris: [redirectUri],
    control: SJOVIK_ACCOUNTS,
  });
  const secretFile = join(dir, 'link-secret');
  await writeFile(secretFile, `${SECRET}\n`, { mode: 0o600 });
  const oidc = boardOidc(provider, redirectUri, ORG, { operator: 'vaxeln', staff: 'personal' });
  board = await startBoard({
    brokerUrl: desk.mosquitto.url,
    port,
    orgs: [ORG],
    auth: createAuth({ oidc }),
    notify: { url: notifier.url(), linkSecret: SECRET },
  });
  await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.status).toBe('available'), { timeout: 5000 });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await board?.close();
  await notifier?.stop();
  await Promise.all([provider?.dispose(), smtp?.stop(), pushService?.close()]);
  await desk?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

/**
 * The page's PushManager on the local push service (headless Chromium has none of its own): it answers
 * `subscribe` with that service's subscription and keeps the key the page asked it with.
 */
function pushStandIn(subscription: PushSubscriptionJson) {
  const fake = {
    endpoint: subscription.endpoint,
    expirationTime: null,
    toJSON: () => ({ ...subscription, expirationTime: null }),
    unsubscribe: async () => true,
  };
  let subscribed = false;
  const manager = PushManager.prototype as unknown as Record<string, unknown>;
  manager.subscribe = async (options: { applicationServerKey: string }) => {
    subscribed = true;
    document.documentElement.dataset.pushKey = options.applicationServerKey;
    return fake;
  };
  manager.getSubscription = async () => (subscribed ? fake : null);
}

/** Opens `path` on the board as the device, logs in at the provider's page as `login`, back on `path`. */
async function viaProvider(
  device: typeof PHONE | typeof DESKTOP,
  path: string,
  login: string,
): Promise<{ page: Page; context: BrowserContext }> {
  const context = await browser.newContext({ locale: 'sv-SE', ...device });
  const page = await context.newPage();
  page.setDefaultTimeout(20_000);
  page.on('pageerror', (e) => problems.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error' && !m.text().startsWith('Failed to load resource')) problems.push(m.text());
  });
  await page.goto(new URL(path, board.url).href);
  await page.waitForURL((url) => url.origin === provider.issuer);
  await page.fill('input[name="login"]', login);
  await page.fill('input[name="password"]', 'any');
  await Promise.all([page.waitForURL(new URL(path, board.url).href), page.click('button[type="submit"]')]);
  return { page, context };
}

const staffState = (page: Page, state: string, reason?: string) =>
  page
    .locator(`[data-testid="me-state"][data-state="${state}"]${reason ? `[data-reason="${reason}"]` : ''}`)
    .waitFor();

/** axe-core's serious and critical WCAG 2.1 AA findings, as staff-page.test.ts counts them */
async function seriousViolations(page: Page): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page })
    .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'])
    .analyze();
  return violations.filter((v) => v.impact === 'serious' || v.impact === 'critical').map((v) => v.id);
}

/** The staff page's service worker's registration id, as DevTools name it. */
async function workerRegistration(context: BrowserContext, page: Page) {
  const cdp = await context.newCDPSession(page);
  const registrations: { registrationId: string; scopeURL: string; isDeleted: boolean }[] = [];
  cdp.on('ServiceWorker.workerRegistrationUpdated', (e) => registrations.push(...e.registrations));
  await cdp.send('ServiceWorker.enable');
  const id = await vi.waitFor(
    () => {
      const found = registrations.find((r) => r.scopeURL.endsWith('/staff/') && !r.isDeleted);
      if (!found) throw new Error('no service worker registered for /staff/');
      return found.registrationId;
    },
    { timeout: 10_000 },
  );
  return { cdp, id };
}

describe('staff page, notifier, provider and SMTP together (issue 27)', () => {
  it('on a phone: refer with one tap, turn on reminders, extend from the nudge', async () => {
    const subscription = pushService.subscribe();
    const { page, context } = await viaProvider(PHONE, '/staff/', 'karin@sjovik.se');
    const operator = await viaProvider(DESKTOP, '/', 'olle@sjovik.se');
    const row = operator.page.locator(`[data-testid="row"][data-ext="${EXT}"]`);
    try {
      await context.grantPermissions(['notifications'], { origin: new URL(board.url).origin });
      await page.addInitScript(pushStandIn, subscription);
      await page.reload();
      await page.getByTestId('reason-lunch').tap();
      await staffState(page, 'away', 'lunch');
      await desk.panel.waitForFrame(
        (f) => f[LUNCH_LED]?.pattern === 'on' && f[AVAILABLE_LED]?.pattern === 'off',
      );
      await row.filter({ hasText: 'Lunch' }).waitFor();

      // "Påminn mig": offered, and the page passes axe-core with it (WCAG 2.1 AA)
      await page.getByTestId('push-on').waitFor();
      expect(await seriousViolations(page)).toEqual([]);
      // pressed, the page subscribes with the notifier's key and registers at the notifier
      await page.getByTestId('push-on').tap();
      await expect
        .poll(() => page.getByTestId('push-state').textContent())
        .toBe('Påminnelser är på för den här enheten.');
      expect(await page.evaluate(() => document.documentElement.dataset.pushKey)).toBe(vapid.publicKey);
      expect(await seriousViolations(page)).toEqual([]);

      // five minutes before the return time (the notifier's clock moved there) the nudge is pushed
      const lunch = board.model.row(ORG, EXT);
      const until = Date.parse(lunch?.until ?? '');
      clock.advance(until - 5 * MIN - clock.now());
      const pushed = await vi.waitFor(
        () => {
          const got = pushService.received.find((r) => r.endpoint === subscription.endpoint);
          if (!got) throw new Error(`no push yet (refused: ${pushService.refused.join(', ')})`);
          return got.payload as { title: string; extend: { label: string } };
        },
        { timeout: 10_000 },
      );
      expect(pushed.extend.label).toBe('Förläng 15 min');

      // handed to the page's service worker, which shows it with its one action
      const { cdp, id } = await workerRegistration(context, page);
      await cdp.send('ServiceWorker.deliverPushMessage', {
        origin: new URL(board.url).origin,
        registrationId: id,
        data: JSON.stringify(pushed),
      });
      const worker = context.serviceWorkers().find((w) => w.url().endsWith('/staff/sw.js'));
      if (!worker) throw new Error('no service worker');
      const shown = await vi.waitFor(
        async () => {
          const list = await worker.evaluate(async () => {
            const scope = self as unknown as { registration: ServiceWorkerRegistration };
            const all = await scope.registration.getNotifications();
            return all.map((n) => ({
              title: n.title,
              actions: (n as unknown as { actions: { title: string }[] }).actions.map((a) => a.title),
            }));
          });
          if (!list.length) throw new Error('no notification shown');
          return list;
        },
        { timeout: 10_000 },
      );
      expect(shown).toEqual([{ title: pushed.title, actions: ['Förläng 15 min'] }]);

      // its action tapped: the worker POSTs the extend; the referral is 15 minutes longer everywhere
      await worker.evaluate(async () => {
        const scope = self as unknown as { registration: ServiceWorkerRegistration };
        const [notification] = await scope.registration.getNotifications();
        const NotificationEventCtor = (
          self as unknown as { NotificationEvent: new (type: string, init: unknown) => Event }
        ).NotificationEvent;
        // a script-made event: the handler runs as for a tap (its waitUntil refuses such an event)
        self.dispatchEvent(
          new NotificationEventCtor('notificationclick', { notification, action: 'extend' }),
        );
      });
      await vi.waitFor(
        () => expect(Date.parse(board.model.row(ORG, EXT)?.until ?? '')).toBe(until + 15 * MIN),
        {
          timeout: 10_000,
        },
      );
      expect(board.model.currentPresence(ORG, EXT)?.by).toEqual({ kind: 'switchboard', id: 'notify' });
      await page.reload();
      await staffState(page, 'away', 'lunch');
      const later = new Date(until + 15 * MIN).toLocaleTimeString('sv', {
        timeZone: 'Europe/Stockholm',
        hour: '2-digit',
        minute: '2-digit',
      });
      await expect.poll(() => page.getByTestId('me-state').textContent()).toContain(later);
      await page.getByTestId('reopen').tap();
      await staffState(page, 'available');
    } finally {
      await operator.context.close();
      await context.close();
    }
    expect(problems).toEqual([]);
  });

  it('on a desktop: refer, and a phone message handled from the e-mail’s one-click link', async () => {
    const { page, context } = await viaProvider(DESKTOP, '/staff/', 'karin@sjovik.se');
    const operator = await viaProvider(DESKTOP, '/', 'olle@sjovik.se');
    try {
      // notifications blocked for the page in the browser: said how to allow them, the button off
      const cdp = await context.newCDPSession(page);
      const { targetInfo } = await cdp.send('Target.getTargetInfo');
      await cdp.send('Browser.setPermission', {
        permission: { name: 'notifications' },
        setting: 'denied',
        origin: new URL(board.url).origin,
        ...(targetInfo.browserContextId ? { browserContextId: targetInfo.browserContextId } : {}),
      });
      await page.reload();
      await expect
        .poll(() => page.getByTestId('push-state').textContent())
        .toBe('Webbläsaren blockerar aviseringar för sidan. Tillåt dem i webbläsarens inställningar.');
      expect(await page.getByTestId('push-on').isDisabled()).toBe(true);

      await page.getByTestId('reason-meeting').click();
      await staffState(page, 'away', 'meeting');
      await desk.panel.waitForFrame((f) => f[MEETING_LED]?.pattern === 'on');
      await operator.page
        .locator(`[data-testid="row"][data-ext="${EXT}"]`)
        .filter({ hasText: 'Sammanträde' })
        .waitFor();

      // the operator takes a message on the board
      const op = operator.page;
      await op.locator('[data-testid="conn"][data-state="live"]').waitFor();
      await op.keyboard.type(EXT);
      await op.keyboard.press('Enter');
      await tabTo(op, 'msg-from');
      await op.keyboard.type('Lena Holm');
      await op.keyboard.press('Tab');
      await op.keyboard.type('070-123 45 67');
      await op.keyboard.press('Tab');
      await op.keyboard.type('Gäller hemtjänsten på Storgatan 4');
      await op.keyboard.press('Tab');
      await op.keyboard.press('Enter');
      await expect.poll(() => op.getByTestId('msg-result').textContent()).toBe('Sparat');
      await page.reload();
      await expect.poll(() => page.getByTestId('messages').textContent()).toContain('Storgatan 4');

      // the e-mail at the SMTP server, with the one-click link
      const mail = mailText(await smtp.nth(1));
      expect(mail).toContain('Lena Holm');
      expect(mail).toContain('Gäller hemtjänsten på Storgatan 4');
      const link = /^http:\/\/\S+\/handled\?t=\S+$/m.exec(mail)?.[0];
      if (!link) throw new Error(`no handled link in the mail:\n${mail}`);

      // opened in Chromium: one question, one button; pressed, the message is handled everywhere
      const mailPage = await context.newPage();
      await mailPage.goto(link);
      expect(board.model.row(ORG, EXT)?.phoneMessages).toHaveLength(1);
      await mailPage.locator('button').click();
      await expect.poll(() => mailPage.locator('p').textContent()).toBe('Klart.');
      await vi.waitFor(() => expect(board.model.row(ORG, EXT)?.phoneMessages ?? []).toHaveLength(0), {
        timeout: 10_000,
      });
      await op.getByTestId('detail-messages').waitFor({ state: 'detached' });
      await page.reload();
      await expect.poll(() => page.getByTestId('messages').textContent()).toBe('Inga meddelanden väntar.');

      await page.getByTestId('reopen').click();
      await staffState(page, 'available');
    } finally {
      await operator.context.close();
      await context.close();
    }
    expect(problems).toEqual([]);
  });
});
