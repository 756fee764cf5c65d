// The page and the service worker turn the same form into the same entry: the page's
// modules (static/pwa/js/offline-queue.js) run here as ES modules, the real sw.js runs in a
// worker-like `vm` context whose importScripts() loads the shared file from static/, its
// fetch handler gets a form post that cannot reach the server (lie-fi), and what it keeps is
// compared with what the page would keep. Real browsers are covered by
// tests/browser/test_offline.py.

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import test from 'node:test';
import vm from 'node:vm';

import * as page from '../../static/pwa/js/offline-queue.js';

const STATIC = new URL('../../static/', import.meta.url);
const ORIGIN = 'http://kizuki.test';
const USER = '7';

/** Response.redirect() with the worker's relative URLs (Node has no base URL to use). */
class WorkerResponse extends Response {
  static redirect(url, status) {
    return Response.redirect(new URL(url, ORIGIN), status);
  }
}

/** sw.js in a context shaped like a service worker's global scope. `network` answers its
 * fetches; what it keeps in the queue is collected instead of going to IndexedDB. */
function startWorker({ network, session = { key: 'session', user_id: USER } }) {
  const kept = [];
  const listeners = {};
  const scope = {
    console,
    URL,
    Headers,
    Request,
    Response: WorkerResponse,
    FormData,
    Blob,
    TextEncoder,
    crypto: globalThis.crypto,
    location: new URL('/sw.js', ORIGIN),
    registration: { active: {}, sync: undefined },
    clients: { matchAll: async () => [], claim: async () => {} },
    caches: { match: async () => undefined, open: async () => ({ match: async () => undefined }) },
    fetch: network,
    addEventListener: (type, listener) => {
      listeners[type] = listener;
    },
    importScripts(path) {
      vm.runInContext(readFileSync(new URL(path.replace(/^\/static\//, ''), STATIC), 'utf8'), context, {
        filename: path,
      });
      // The storage of the shared file, swapped for a list: everything else is the real thing.
      const shared = scope.KizukiQueue;
      scope.KizukiQueue = {
        ...shared,
        getSession: async () => session,
        putEntry: async (entry) => {
          const stored = { ...entry, key: await shared.entryKey(entry) };
          kept.push(stored);
          return stored;
        },
      };
    },
  };
  scope.self = scope;
  const context = vm.createContext(scope);
  vm.runInContext(readFileSync(new URL('pwa/sw.js', STATIC), 'utf8'), context, { filename: 'sw.js' });

  /** Post `body` to `path` as a page navigation would; resolves to the worker's answer. */
  async function post(path, body) {
    const request = new Request(new URL(path, ORIGIN), { method: 'POST', body });
    const navigation = { url: request.url, method: 'POST', mode: 'navigate', clone: () => request.clone() };
    let answer = null;
    listeners.fetch({ request: navigation, respondWith: (promise) => (answer = promise), waitUntil() {} });
    return answer;
  }
  return { post, kept, context };
}

const lieFi = async () => {
  throw new TypeError('Failed to fetch');
};

function formData(fields, clientId) {
  const form = new FormData();
  form.append('csrf_token', 'token-of-the-page');
  if (clientId !== undefined) form.append('client_id', clientId);
  fields.forEach(([name, value]) => form.append(name, value));
  return form;
}

/** What the page keeps for the same form (forms.js queueForm does exactly this). */
async function pageEntry(type, fields, clientId, returnUrl) {
  const entry = page.newEntry({ type, clientId, fields: page.fieldsOf(formData(fields, clientId)), userId: USER, returnUrl });
  return { ...entry, key: await globalThis.KizukiQueue.entryKey(entry) };
}

// Entries from the vm context have that context's prototypes: compare them as JSON.
const plain = (entry) => {
  const { created_at: _created, ...rest } = JSON.parse(JSON.stringify(entry));
  return rest;
};

const MOMENT = [
  ['cue', 'A guest kept rubbing her hands'],
  ['action', 'Brought her a tea'],
  ['reaction', 'She smiled'],
  ['value_ids', '1'],
  ['team_id', '1'],
  ['gesture_note', 'A tea'],
];

for (const cost of ['2,505', '€ 3', '0', '-1', '']) {
  test(`the page and the worker keep the same moment for a gesture cost of ${JSON.stringify(cost)}`, async () => {
    const fields = [...MOMENT, ['gesture_cost', cost]];
    const clientId = page.newClientId();
    const worker = startWorker({ network: lieFi });
    const answer = await worker.post('/moments/new', formData(fields, clientId));
    assert.equal(answer.status, 303);
    assert.equal(new URL(answer.headers.get('Location')).search, '?queued=1');
    assert.equal(worker.kept.length, 1);
    assert.deepEqual(plain(worker.kept[0]), plain(await pageEntry('moment', fields, clientId, '/moments/new')));
  });
}

test('the page and the worker keep the same kudos, private or not, with or without a value', async () => {
  const base = [['receiver_ids', '2'], ['receiver_ids', '3'], ['team_id', ''], ['moment_id', '5'], ['message', 'Thanks!']];
  for (const extra of [[['value_id', '1'], ['private', 'y']], [['value_id', '']]]) {
    const fields = [...base, ...extra];
    const clientId = page.newClientId();
    const worker = startWorker({ network: lieFi });
    await worker.post('/kudos/new?moment=5', formData(fields, clientId));
    assert.deepEqual(plain(worker.kept[0]), plain(await pageEntry('kudos', fields, clientId, '/kudos/new?moment=5')));
  }
});

test('a form without a client id (from a cached page, no script ran) gets a new one', async () => {
  const worker = startWorker({ network: lieFi });
  await worker.post('/moments/new', formData(MOMENT, ''));
  await worker.post('/moments/new', formData(MOMENT));
  const [first, second] = worker.kept;
  assert.match(first.client_id, /^[0-9a-f-]{36}$/);
  assert.notEqual(first.client_id, second.client_id);
  assert.equal(first.payload.client_id, first.client_id);
});

test('a server error keeps the form too; its client id makes a second send harmless', async () => {
  const worker = startWorker({ network: async () => new Response('Service Unavailable', { status: 503 }) });
  const answer = await worker.post('/moments/new', formData(MOMENT, page.newClientId()));
  assert.equal(answer.status, 303);
  assert.equal(worker.kept.length, 1);
});

test('an answer from the server is passed on untouched, and nothing is kept', async () => {
  const worker = startWorker({ network: async () => new Response('form with errors', { status: 422 }) });
  const answer = await worker.post('/moments/new', formData(MOMENT, page.newClientId()));
  assert.equal(answer.status, 422);
  assert.equal(worker.kept.length, 0);
});

test('with nobody signed in on this device, the worker keeps nothing it cannot file', async () => {
  const worker = startWorker({ network: lieFi, session: null });
  await assert.rejects(worker.post('/moments/new', formData(MOMENT, page.newClientId())));
  assert.equal(worker.kept.length, 0);
});

test("a page's cached copy is marked as a copy and loses its form's client id", () => {
  const { context } = startWorker({ network: lieFi });
  const html =
    '<html lang="nl"><head><title>x</title></head><body><form method="post" action="/moments/new">' +
    '<input id="client_id" name="client_id" type="hidden" value="0b6f3a52-3f0e-4c1e-9d59-3f8e1c1e6a11">' +
    '<input id="cue" name="cue" type="text" value="kept"></form></body></html>';
  const copy = vm.runInContext('offlineCopy', context)(html, '2026-01-02T03:04:05.000Z');
  assert.match(copy, /<meta name="kizuki-cached-at" content="2026-01-02T03:04:05.000Z">\n<\/head>/);
  assert.match(copy, /name="client_id" type="hidden" value=""/);
  assert.match(copy, /name="cue" type="text" value="kept"/);
  assert.equal(vm.runInContext('pageLanguage', context)(html), 'nl');
});
