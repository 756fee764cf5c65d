/* Kizuki service worker. Served by the app at /sw.js (root scope, no-cache) with the line
 * marked @build replaced by the real build: the app version plus a digest of the shell files,
 * so every deploy installs under a new cache name.
 *
 * A classic script on purpose (no ES modules): module service workers are not available in
 * every browser we support. The offline queue's rules are not copied here: importScripts()
 * loads js/queue-core.js, the very file the page modules import, so a form kept by the
 * worker and one kept by the page become the same entry. */
'use strict';

const BUILD = { version: 'dev', offline: '/offline', shell: ['/offline'] }; // @build
// Loaded while the worker starts, so it is checked for updates with the worker itself.
importScripts('/static/pwa/js/queue-core.js');
const Queue = self.KizukiQueue;

const SHELL_CACHE = `kizuki-shell-${BUILD.version}`;
// Pages are personal: one cache, emptied when someone signs out or lands on the login page.
const PAGES_CACHE = 'kizuki-pages';
const SYNC_TAG = 'kizuki-queue';
// Where a form the worker kept lands: the feed, which lists the queue.
const QUEUED_URL = '/?queued=1';

self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(SHELL_CACHE).then((cache) =>
      // `reload` skips the HTTP cache so a new version never precaches an old file.
      cache.addAll(BUILD.shell.map((url) => new Request(url, { cache: 'reload' }))),
    ),
  );
  // The first worker takes over at once; an update waits for the person to choose "Reload".
  if (!self.registration.active) self.skipWaiting();
});

self.addEventListener('activate', (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith('kizuki-shell-') && name !== SHELL_CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

self.addEventListener('message', (event) => {
  const type = event.data && event.data.type;
  if (type === 'SKIP_WAITING') self.skipWaiting();
  else if (type === 'CLAIM') event.waitUntil(self.clients.claim());
  else if (type === 'CLEAR_PAGES') event.waitUntil(caches.delete(PAGES_CACHE));
  else if (type === 'VERSION' && event.ports[0]) event.ports[0].postMessage(BUILD.version);
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin || url.pathname.startsWith('/api/')) return;
  // A kiosk's pages belong to whoever's turn it is: never kept, never shown to the next one.
  if (isKiosk(url)) {
    if (request.method === 'GET' && request.mode === 'navigate') {
      event.respondWith(fetch(request).catch(() => offlinePage()));
    }
    return;
  }
  if (request.method !== 'GET') {
    if (request.mode === 'navigate') onPostNavigation(event, url);
    return; // never cached
  }
  if (request.mode === 'navigate') event.respondWith(networkFirst(event));
  else if (url.pathname.startsWith('/static/')) event.respondWith(cacheFirst(request));
});

self.addEventListener('sync', (event) => {
  if (event.tag === SYNC_TAG) event.waitUntil(syncQueue());
});

/* ---- Web Push: the server sends {title, body, url, tag}; a click opens (or focuses) it. ---- */

self.addEventListener('push', (event) => {
  let message = {};
  try {
    message = event.data ? event.data.json() : {};
  } catch (error) {
    message = { body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    self.registration.showNotification(message.title || 'Kizuki', {
      body: message.body || '',
      tag: message.tag || 'kizuki',
      data: { url: sameOriginUrl(message.url) },
      icon: '/static/pwa/icons/icon-192.png',
    }),
  );
});

self.addEventListener('notificationclick', (event) => {
  event.notification.close();
  const url = sameOriginUrl(event.notification.data && event.notification.data.url);
  event.waitUntil(
    (async () => {
      const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
      const open = windows.find((client) => new URL(client.url).href === url) || windows[0];
      if (open) {
        await open.focus();
        if (new URL(open.url).href !== url && 'navigate' in open) await open.navigate(url).catch(() => {});
        return;
      }
      await self.clients.openWindow(url);
    })(),
  );
});

/** Only our own pages open from a notification; anything else opens the feed. */
function sameOriginUrl(url) {
  try {
    const target = new URL(url || '/', self.location.origin);
    return target.origin === self.location.origin ? target.href : new URL('/', self.location.origin).href;
  } catch (error) {
    return new URL('/', self.location.origin).href;
  }
}

function isKiosk(url) {
  return url.pathname === '/kiosk' || url.pathname.startsWith('/kiosk/');
}

/* ---- Pages: network first, then the cached copy, then the offline page. ---- */

async function networkFirst(event) {
  const { request } = event;
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    return (await cachedPage(request)) || offlinePage();
  }
  const path = new URL(response.url || request.url).pathname;
  if (path === '/login') await caches.delete(PAGES_CACHE); // signed out: forget their pages
  else if (isCacheablePage(response)) await storePage(event, response.clone());
  // Server trouble (a 502 from the proxy, a 503 while the database restarts): the page as it
  // was beats an error page, and its banner says how old it is.
  else if (response.status >= 500) return (await cachedPage(request)) || response;
  return response;
}

/** The cached copy of a page; the landing page after queueing is the feed's copy. */
async function cachedPage(request) {
  const cache = await caches.open(PAGES_CACHE);
  const url = new URL(request.url);
  const copy = await cache.match(url.href, { ignoreVary: true });
  if (copy || !url.searchParams.has('queued')) return copy;
  url.searchParams.delete('queued');
  return cache.match(url.href, { ignoreVary: true });
}

function offlinePage() {
  return caches
    .match(BUILD.offline, { ignoreVary: true })
    .then((page) => page || new Response('Offline', { status: 503, headers: { 'Content-Type': 'text/plain' } }));
}

function isCacheablePage(response) {
  const type = response.headers.get('Content-Type') || '';
  return response.status === 200 && !response.redirected && response.type === 'basic' && type.startsWith('text/html');
}

async function storePage(event, response) {
  const html = await response.text();
  const headers = new Headers(response.headers);
  // The copy is new text: the length and encoding of the original no longer describe it.
  headers.delete('Content-Length');
  headers.delete('Content-Encoding');
  const copy = new Response(offlineCopy(html, new Date().toISOString()), {
    status: response.status,
    statusText: response.statusText,
    headers,
  });
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(event.request.url, copy);
  event.waitUntil(followLanguage(pageLanguage(html)));
}

// The hidden client id of a moment or kudos form, as WTForms renders it.
const CLIENT_ID_VALUE = /(<input\b[^>]*\bname="client_id"[^>]*\bvalue=")[^"]*/g;

/** A page as it is kept for offline use: marked as a copy (its script then shows the
 * "offline: last updated" banner) and without its form's client id, which belonged to the
 * one entry the server rendered the form for; the page script makes a new one. */
function offlineCopy(html, cachedAt) {
  return html
    .replace('</head>', `<meta name="kizuki-cached-at" content="${cachedAt}">\n</head>`)
    .replace(CLIENT_ID_VALUE, '$1');
}

/* ---- The offline page speaks the language of the person's pages. ---- */

let offlineLanguage = null;

function pageLanguage(html) {
  const match = /<html\b[^>]*\blang="([^"]*)"/.exec(html);
  return match ? match[1] : null;
}

/** Precached at install (before anyone signed in, in the browser's language): fetched again
 * in the person's language once their pages speak another one. */
async function followLanguage(language) {
  if (!language || language === offlineLanguage) return;
  const cache = await caches.open(SHELL_CACHE);
  const current = await cache.match(BUILD.offline);
  offlineLanguage = current ? pageLanguage(await current.text()) : null;
  if (language === offlineLanguage) return;
  try {
    const response = await fetch(BUILD.offline, { cache: 'no-store', credentials: 'same-origin' });
    if (!response.ok || pageLanguage(await response.clone().text()) !== language) return;
    await cache.put(BUILD.offline, response);
    offlineLanguage = language;
  } catch (error) {
    // No connection after all: the next page tries again.
  }
}

/* ---- Static files: cache first (the cache name changes with every build). ---- */

async function cacheFirst(request) {
  const cached = await caches.match(request, { ignoreVary: true });
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok && response.type === 'basic') {
    const cache = await caches.open(SHELL_CACHE);
    await cache.put(request, response.clone());
  }
  return response;
}

/* ---- Form posts: sign-out clears pages; a moment or kudos that cannot reach the server
 * (the page believed it was online), or that the server failed on, is queued here instead
 * of being lost. Its client id makes sending it again safe even if this post got through. */

function onPostNavigation(event, url) {
  if (url.pathname === '/logout') {
    event.waitUntil(caches.delete(PAGES_CACHE));
    return;
  }
  const type = Queue.FORM_TYPES[url.pathname];
  if (type) event.respondWith(postOrKeep(event.request, type, url.pathname + url.search));
}

async function postOrKeep(request, type, returnUrl) {
  const form = request.clone();
  let response = null;
  try {
    response = await fetch(request);
    if (response.status < 500) return response;
  } catch (error) {
    // Lie-fi or offline: kept below.
  }
  const formData = await form.formData();
  // The people picker's search button (templates/_picker.html) asks to see the form again
  // with the colleagues it finds: nothing to keep.
  if (formData.has('picker_search')) return response || offlinePage();
  const entry = await keepForm(type, formData, returnUrl);
  if (entry) return Response.redirect(QUEUED_URL, 303);
  if (response) return response;
  throw new TypeError('Kizuki: offline, and nobody signed in on this device to keep it for');
}

/** Keep a posted form in the queue, under its own key, for the person last signed in here. */
async function keepForm(type, formData, returnUrl) {
  const session = await Queue.getSession();
  if (!session) return null;
  const entry = await Queue.putEntry(
    Queue.newEntry({
      type,
      // The page gave the form an id of its own; a form without one (no script ran) gets one
      // here, never the id of an entry from a cached page.
      clientId: formData.get('client_id') || Queue.newClientId(),
      fields: Queue.fieldsOf(formData),
      userId: session.user_id,
      returnUrl,
    }),
  );
  await tellPages({ type: 'QUEUE_CHANGED' });
  if (self.registration.sync) await self.registration.sync.register(SYNC_TAG).catch(() => {});
  return entry;
}

/* ---- Background Sync: send what the signed-in person queued (js/queue-core.js). ---- */

async function syncQueue() {
  const outcome = await Queue.syncQueue();
  await tellPages({ type: 'QUEUE_CHANGED', outcome });
  if (outcome.retry) throw new Error('Kizuki: entries left to sync'); // the browser retries later
}

async function tellPages(message) {
  const windows = await self.clients.matchAll({ type: 'window' });
  windows.forEach((client) => client.postMessage(message));
}
