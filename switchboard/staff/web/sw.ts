// The staff page's service worker: what makes the page an installable app, and where Web Push lands
// (docs/staff.md, "Push"). It keeps the page's own files for a phone that opens the app without
// network, and never keeps a person's data: /api/ always goes to the board. A nudge from the notifier
// is shown with one action, "Förläng", whose tap POSTs the nudge's token to the notifier's extend.
const CACHE = 'hanvisa-staff-v1';
const SHELL = [
  '/staff/',
  '/staff/staff.js',
  '/staff/style.css',
  '/staff/icon.svg',
  '/staff/manifest.webmanifest',
];

/** The parts of the worker's events this uses (the page's TypeScript has the DOM's types, not the worker's). */
interface ExtendableEventLike extends Event {
  waitUntil(work: Promise<unknown>): void;
}
interface FetchEventLike extends ExtendableEventLike {
  request: Request;
  respondWith(answer: Promise<Response>): void;
}
interface PushEventLike extends ExtendableEventLike {
  data: { json(): unknown } | null;
}
interface NotificationEventLike extends ExtendableEventLike {
  action: string;
  notification: Notification;
}
/** The worker's global scope, as far as this uses it. */
interface WorkerScope {
  registration: {
    showNotification(
      title: string,
      options: NotificationOptions & { actions?: { action: string; title: string }[] },
    ): Promise<void>;
  };
  clients: { openWindow(url: string): Promise<unknown> };
}
const scope = globalThis as unknown as WorkerScope;

/** The notifier's nudge (docs/notify.md, "For the staff page"). */
interface Nudge {
  type: 'nudge';
  title: string;
  body: string;
  until: string;
  extend: { label: string; url: string; t: string };
}

const isNudge = (data: unknown): data is Nudge => {
  const n = data as Partial<Nudge> | null;
  return (
    n?.type === 'nudge' &&
    typeof n.title === 'string' &&
    typeof n.extend?.url === 'string' &&
    typeof n.extend.t === 'string' &&
    typeof n.extend.label === 'string'
  );
};

addEventListener('install', (e) => {
  (e as ExtendableEventLike).waitUntil(caches.open(CACHE).then((c) => c.addAll(SHELL)));
});

addEventListener('fetch', (e) => {
  const event = e as FetchEventLike;
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || !url.pathname.startsWith('/staff/')) return;
  // the network first (a new release shows at once), the kept copy when there is none
  event.respondWith(
    fetch(event.request).catch(async () => (await caches.match(event.request)) ?? Response.error()),
  );
});

addEventListener('push', (e) => {
  const event = e as PushEventLike;
  let data: unknown;
  try {
    data = event.data?.json();
  } catch {
    return;
  }
  if (!isNudge(data)) return;
  event.waitUntil(
    scope.registration.showNotification(data.title, {
      body: data.body,
      // a newer nudge replaces an older one on the device
      tag: 'hanvisa-nudge',
      data,
      actions: [{ action: 'extend', title: data.extend.label }],
    }),
  );
});

/** One tap extends without opening a page; a refusal (used, expired, changed) opens the notifier's page, which says why. */
async function extend(nudge: Nudge): Promise<void> {
  const answer = await fetch(nudge.extend.url, {
    method: 'POST',
    body: new URLSearchParams({ t: nudge.extend.t }),
  }).catch(() => undefined);
  if (answer?.ok) return;
  const page = new URL(nudge.extend.url);
  page.searchParams.set('t', nudge.extend.t);
  await scope.clients.openWindow(page.href);
}

addEventListener('notificationclick', (e) => {
  const event = e as NotificationEventLike;
  const nudge: unknown = event.notification.data;
  event.notification.close();
  if (!isNudge(nudge)) return;
  event.waitUntil(event.action === 'extend' ? extend(nudge) : scope.clients.openWindow('/staff/'));
});
