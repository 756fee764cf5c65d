/* Kizuki service worker. Served by the app at /sw.js (root scope, no-cache) with the line
 * marked @build replaced by the real build: the app version plus a digest of the shell files,
 * so every deploy installs under a new cache name.
 *
 * A classic script on purpose (no ES modules): module service workers are not available in
 * every browser we support, so the small queue sender below mirrors js/sync.js. */
'use strict';

const BUILD = { version: 'dev', offline: '/offline', shell: ['/offline'] }; // @build
const SHELL_CACHE = `kizuki-shell-${BUILD.version}`;
// Pages are personal: one cache, emptied when someone signs out or lands on the login page.
const PAGES_CACHE = 'kizuki-pages';
const CACHED_AT = 'X-Kizuki-Cached-At';
const FORM_PATHS = { '/moments/new': 'moment', '/kudos/new': 'kudos' };
const DB_NAME = 'kizuki';
const SYNC_TAG = 'kizuki-queue';

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
  if (request.method !== 'GET') {
    if (request.mode === 'navigate') onPostNavigation(event, url);
    return; // never cached
  }
  if (request.mode === 'navigate') event.respondWith(networkFirst(request));
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

/* ---- Pages: network first, then the cached copy, then the offline page. ---- */

async function networkFirst(request) {
  try {
    const response = await fetch(request);
    const path = new URL(response.url || request.url).pathname;
    if (path === '/login') await caches.delete(PAGES_CACHE); // signed out: forget their pages
    else if (isCacheablePage(response)) await storePage(request, response.clone());
    return response;
  } catch (error) {
    const cached = await caches.match(request, { cacheName: PAGES_CACHE, ignoreVary: true });
    if (cached) return cached;
    const offline = await caches.match(BUILD.offline, { ignoreVary: true });
    return offline || new Response('Offline', { status: 503, headers: { 'Content-Type': 'text/plain' } });
  }
}

function isCacheablePage(response) {
  const type = response.headers.get('Content-Type') || '';
  return response.status === 200 && !response.redirected && response.type === 'basic' && type.startsWith('text/html');
}

async function storePage(request, response) {
  const headers = new Headers(response.headers);
  headers.set(CACHED_AT, new Date().toISOString());
  const body = await response.blob();
  const copy = new Response(body, { status: response.status, statusText: response.statusText, headers });
  const cache = await caches.open(PAGES_CACHE);
  await cache.put(request.url, copy);
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
 * (the page believed it was online) is queued here instead of being lost. ---- */

function onPostNavigation(event, url) {
  if (url.pathname === '/logout') {
    event.waitUntil(caches.delete(PAGES_CACHE));
    return;
  }
  const type = FORM_PATHS[url.pathname];
  if (!type) return;
  const fallback = event.request.clone();
  event.respondWith(
    fetch(event.request).catch(async () => {
      const queued = await queueForm(type, await fallback.formData(), url.pathname);
      if (!queued) throw new TypeError('offline and nobody signed in');
      return Response.redirect('/?queued=1', 303);
    }),
  );
}

async function queueForm(type, formData, returnUrl) {
  const session = await dbGet('meta', 'session');
  const clientId = formData.get('client_id');
  if (!session || !clientId) return false;
  const fields = [];
  formData.forEach((value, name) => {
    if (typeof value === 'string' && name !== 'csrf_token') fields.push([name, value]);
  });
  const entry = { client_id: clientId, type, fields };
  await dbPut('queue', {
    ...entry,
    payload: toPayload(entry),
    user_id: session.user_id,
    return_url: returnUrl,
    created_at: new Date().toISOString(),
    status: 'pending',
  });
  if (self.registration.sync) await self.registration.sync.register(SYNC_TAG).catch(() => {});
  return true;
}

/* ---- Background Sync: send what the signed-in person queued, one at a time. ---- */

async function syncQueue() {
  const run = () => sendPending();
  // Same lock name as the pages (js/sync.js): a page and the worker never send in parallel.
  const outcome = self.navigator.locks
    ? await self.navigator.locks.request('kizuki-sync', run)
    : await run();
  const windows = await self.clients.matchAll({ type: 'window' });
  windows.forEach((client) => client.postMessage({ type: 'QUEUE_CHANGED', outcome }));
  if (outcome.retry) throw new Error('Kizuki: entries left to sync'); // the browser retries later
}

async function sendPending() {
  const outcome = { sent: 0, rejected: 0, retry: false };
  const session = await dbGet('meta', 'session');
  if (!session) return outcome;
  const entries = (await dbAll('queue')).filter(
    (entry) => entry.user_id === session.user_id && entry.status !== 'rejected',
  );
  entries.sort((a, b) => a.created_at.localeCompare(b.created_at));
  for (const entry of entries) {
    const result = await send(entry, session.csrf);
    if (result.state === 'done') {
      await dbDelete('queue', entry.client_id);
      outcome.sent += 1;
    } else if (result.state === 'rejected') {
      await dbPut('queue', { ...entry, status: 'rejected', reason: result.reason });
      outcome.rejected += 1;
    } else {
      outcome.retry = true;
      break;
    }
  }
  return outcome;
}

async function send(entry, csrf) {
  const url = entry.type === 'moment' ? '/api/v1/moments' : '/api/v1/kudos';
  let response;
  try {
    response = await fetch(url, {
      method: 'POST',
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrf || '' },
      body: JSON.stringify(entry.payload || toPayload(entry)),
    });
  } catch (error) {
    return { state: 'retry' };
  }
  const json = (response.headers.get('Content-Type') || '').includes('json');
  if ((response.status === 200 || response.status === 201) && json) return { state: 'done' };
  if (response.status >= 400 && response.status < 500 && json && ![401, 408, 429].includes(response.status)) {
    const problem = await response.json().catch(() => ({}));
    if (!/csrf/i.test(problem.title || '')) return { state: 'rejected', reason: problemReason(problem) };
  }
  return { state: 'retry' }; // signed out, stale token, server trouble: keep it
}

function problemReason(problem) {
  const messages = [];
  const collect = (value) => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    else if (value) messages.push(String(value));
  };
  collect(problem.errors);
  if (problem.detail && !messages.length) messages.push(problem.detail);
  return messages.join(' ') || problem.title || '';
}

/* Mirrors toPayload() in js/forms.js: form fields to the API's JSON. */
function toPayload(entry) {
  const all = (name) => entry.fields.filter(([key]) => key === name).map(([, value]) => value);
  const one = (name) => (all(name)[0] || '').trim();
  const ids = (name) => all(name).filter(Boolean).map(Number);
  const id = (name) => (one(name) ? Number(one(name)) : undefined);
  const payload = { client_id: entry.client_id };
  if (entry.type === 'moment') {
    Object.assign(payload, {
      cue: one('cue'), action: one('action'), reaction: one('reaction'),
      value_ids: ids('value_ids'), team_id: id('team_id'), colleague_ids: ids('colleague_ids'),
    });
    const cost = one('gesture_cost');
    if (cost) {
      const euros = Number(cost.replace(',', '.'));
      payload.gesture_cost_cents = Number.isFinite(euros) ? Math.round(euros * 100) : cost;
      payload.gesture_note = one('gesture_note');
    }
  } else {
    Object.assign(payload, {
      receiver_ids: ids('receiver_ids'), team_id: id('team_id'), moment_id: id('moment_id'),
      value_id: id('value_id'), message: one('message'), private: all('private').length > 0,
    });
  }
  return payload;
}

/* ---- IndexedDB (same database and stores as js/offline-queue.js). ---- */

function openDb() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DB_NAME, 1);
    request.onupgradeneeded = () => {
      const db = request.result;
      if (!db.objectStoreNames.contains('queue')) db.createObjectStore('queue', { keyPath: 'client_id' });
      if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'key' });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function dbRequest(store, mode, make) {
  const db = await openDb();
  try {
    return await new Promise((resolve, reject) => {
      const tx = db.transaction(store, mode);
      const request = make(tx.objectStore(store));
      tx.oncomplete = () => resolve(request.result);
      tx.onerror = () => reject(tx.error);
      tx.onabort = () => reject(tx.error);
    });
  } finally {
    db.close();
  }
}

const dbGet = (store, key) => dbRequest(store, 'readonly', (s) => s.get(key));
const dbAll = (store) => dbRequest(store, 'readonly', (s) => s.getAll());
const dbPut = (store, value) => dbRequest(store, 'readwrite', (s) => s.put(value));
const dbDelete = (store, key) => dbRequest(store, 'readwrite', (s) => s.delete(key));
