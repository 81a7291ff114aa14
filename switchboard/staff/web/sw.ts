// The staff page's service worker: what makes the page an installable app, and where Web Push lands
// (docs/staff.md, "Push"). It keeps the page's own files for a phone that opens the app without
// network, and never keeps a person's data: /api/ always goes to the board.
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
