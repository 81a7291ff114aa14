// The staff page's Web Push opt-in (docs/staff.md, "Push"): "Påminn mig" subscribes this device through
// the browser's PushManager at the notifier, whose address and a token signed for the person's own
// extension come from the board (GET /api/me/push). The nudge then arrives in the service worker (sw.ts),
// which shows it with one action that extends the referral. Offered only where the board names a
// notifier and the browser has push; nothing is asked of the person until they press the button.
import type { Language } from '../../../protocol/languages.js';
import type { MyPush } from '../my-view.js';
import { STAFF_TEXT } from './texts.js';

type State = 'off' | 'on' | 'blocked' | 'failed';

/** The subscription as the notifier wants it: the browser's own PushSubscription.toJSON(). */
async function register(push: MyPush, subscription: PushSubscription): Promise<boolean> {
  const res = await fetch(new URL('push/subscriptions', push.url), {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ t: push.t, subscription: subscription.toJSON() }),
  }).catch(() => undefined);
  return res?.status === 201;
}

/** Where to subscribe, with a token fresh from the board (it lives minutes; the page may be open for hours). */
async function myPush(): Promise<MyPush | undefined> {
  const res = await fetch('/api/me/push').catch(() => undefined);
  return res?.ok ? ((await res.json()) as MyPush) : undefined;
}

async function subscribe(registration: ServiceWorkerRegistration): Promise<State> {
  if ((await Notification.requestPermission()) !== 'granted') return 'blocked';
  const push = await myPush();
  if (!push) return 'failed';
  const key = await fetch(new URL('push/key', push.url))
    .then((r) => (r.ok ? (r.json() as Promise<{ publicKey: string }>) : undefined))
    .catch(() => undefined);
  if (!key) return 'failed';
  try {
    const subscription = await registration.pushManager.subscribe({
      userVisibleOnly: true,
      applicationServerKey: key.publicKey,
    });
    return (await register(push, subscription)) ? 'on' : 'failed';
  } catch {
    return 'failed';
  }
}

/** Fills `<section id="staff-push">` and shows it, where the board has a notifier and the browser push. */
export async function offerPush(
  section: HTMLElement,
  lang: Language,
  registration: Promise<ServiceWorkerRegistration | undefined>,
): Promise<void> {
  if (!('PushManager' in window) || !('Notification' in window)) return;
  const push = await myPush();
  const reg = await registration.catch(() => undefined);
  if (!push || !reg) return;
  const t = STAFF_TEXT[lang];
  const heading = document.createElement('h2');
  heading.id = 'push-heading';
  heading.textContent = t.pushHeading;
  const intro = document.createElement('p');
  intro.textContent = t.pushIntro;
  const button = document.createElement('button');
  button.type = 'button';
  button.dataset.testid = 'push-on';
  button.textContent = t.pushOn;
  const said = document.createElement('p');
  said.dataset.testid = 'push-state';
  said.setAttribute('aria-live', 'polite');
  const show = (state: State) => {
    section.dataset.state = state;
    button.hidden = state === 'on';
    button.disabled = state === 'blocked';
    said.textContent =
      state === 'on'
        ? t.pushActive
        : state === 'blocked'
          ? t.pushBlocked
          : state === 'failed'
            ? t.pushFailed
            : '';
  };
  button.addEventListener('click', async () => {
    button.disabled = true;
    show(await subscribe(reg));
  });
  section.setAttribute('aria-labelledby', heading.id);
  section.append(heading, intro, button, said);
  // this device subscribed before: told to the notifier again (it keeps the newest five per person)
  const existing = await reg.pushManager.getSubscription().catch(() => null);
  if (Notification.permission === 'denied') show('blocked');
  else if (existing && Notification.permission === 'granted')
    show((await register(push, existing)) ? 'on' : 'off');
  else show('off');
  section.hidden = false;
}
