/* The offline queue's one set of rules, shared by the pages and the service worker: how a
 * posted moment or kudos form becomes the API's JSON, how entries are kept in IndexedDB,
 * and how they are sent.
 *
 * A classic script on purpose, and no build step: the worker loads it with importScripts()
 * (module service workers are not in every browser we support), the page modules import it
 * for its side effect (`import './queue-core.js'`), and both use `self.KizukiQueue`. Node
 * runs it too (tests/js/). Amounts, ids and flags are read by the server's rules
 * (webapp/moments/schemas.py): where the server would refuse, an entry is refused the same
 * way here, never quietly changed into something else. */
(function (root) {
  'use strict';

  const FORM_TYPES = { '/moments/new': 'moment', '/kudos/new': 'kudos' };
  const ENDPOINTS = { moment: '/api/v1/moments', kudos: '/api/v1/kudos' };
  const SESSION_URL = '/api/v1/session';
  const DB_NAME = 'kizuki';
  // Version 2 keys entries by `key` (client id + content) instead of the client id alone.
  const DB_VERSION = 2;
  const ENTRIES = 'entries';
  const LOCK = 'kizuki-sync';
  // webapp/rules.py MAX_GESTURE_CENTS (tests/js/test_amounts_agree.py checks the edge).
  const MAX_GESTURE_CENTS = 100000;
  // Worth sending again later: signed out, timed out, too many requests.
  const RETRY_STATUSES = [401, 408, 429];

  /* ---- Client ids ---- */

  /** A new random UUID: every form shown, and every entry, gets its own. */
  function newClientId() {
    if (root.crypto.randomUUID) return root.crypto.randomUUID();
    const bytes = root.crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
  }

  /* ---- A posted form to the API's JSON ---- */

  /** The form's fields as [name, value] pairs: no files, no CSRF token, no client id. */
  function fieldsOf(formData) {
    const fields = [];
    formData.forEach((value, name) => {
      if (typeof value === 'string' && name !== 'csrf_token' && name !== 'client_id') fields.push([name, value]);
    });
    return fields;
  }

  // The whitespace Python's str.strip() removes (the server trims input with it). Not
  // String.trim(), which also drops U+FEFF, so a lone one would mean "no amount" here and
  // "no readable amount" on the server.
  const EDGES = /^[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+|[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+$/g;
  // The server refuses any input with these before it reads it (webapp/orgs/schemas.py).
  const CONTROL_CHARACTERS = /[\x00-\x08\x0b\x0c\x0e-\x1f]/;
  // euros_to_cents: spaces and a euro sign anywhere are ignored (Python's \s and U+FEFF:
  // JavaScript's \s lacks U+0085), a comma counts as a point.
  const AMOUNT_NOISE = /[\s\x85€]/g;
  const AMOUNT = /^([+-]?)(?:(\d+)(?:\.(\d*))?|\.(\d+))$/;

  const strip = (text) => text.replace(EDGES, '');

  /** {cents} for an amount typed in euros ("2,50", "€ 3"; null when left blank), or {error}
   * naming the server's message: "amountFormat" (no amount with at most two decimals),
   * "amountRange" or "controlCharacters". In the server's order: control characters are
   * refused before blanks are trimmed. */
  function readAmount(typed) {
    if (CONTROL_CHARACTERS.test(typed)) return { error: 'controlCharacters' };
    if (strip(typed) === '') return { cents: null };
    const match = AMOUNT.exec(String(typed).replace(AMOUNT_NOISE, '').replace(/,/g, '.'));
    if (!match) return { error: 'amountFormat' };
    const [, sign, whole = '0', decimals, onlyDecimals] = match;
    const fraction = decimals || onlyDecimals || '';
    // "2,500" is 2.50 to the server, "2,505" is no amount: never round a typed cent away.
    if (/[^0]/.test(fraction.slice(2))) return { error: 'amountFormat' };
    const cents = Number(whole) * 100 + Number(fraction.slice(0, 2).padEnd(2, '0'));
    if ((sign === '-' && cents > 0) || cents > MAX_GESTURE_CENTS) return { error: 'amountRange' };
    return { cents };
  }

  /** An id as JSON: a number when it is plain digits, else the text as typed, so the
   * server names what is wrong with it (as it would on the page). */
  function idValue(text) {
    return /^\d+$/.test(strip(text)) ? Number(strip(text)) : text;
  }

  /** Form fields to the API's JSON: {payload, problems}. `problems` maps a form field to
   * the key of the server's message (pwa strings) when the page would refuse the form. */
  function toPayload(type, clientId, fields) {
    const all = (name) => fields.filter(([key]) => key === name).map(([, value]) => value);
    const given = (name) => all(name).filter((value) => strip(value) !== '');
    const one = (name) => given(name)[0];
    const payload = { client_id: clientId };
    const problems = {};
    // Texts go as typed: the server trims and checks them the same way for the page and API.
    const text = (name) => {
      if (all(name).length) payload[name] = all(name)[0];
    };
    const id = (name) => {
      if (one(name) !== undefined) payload[name] = idValue(one(name));
    };
    const ids = (name) => {
      payload[name] = given(name).map(idValue);
    };
    if (type === 'moment') {
      ['cue', 'action', 'reaction', 'gesture_note'].forEach(text);
      ids('value_ids');
      ids('colleague_ids');
      id('team_id');
      const amount = readAmount(all('gesture_cost')[0] || '');
      if (amount.error) problems.gesture_cost = amount.error;
      else if (amount.cents !== null) payload.gesture_cost_cents = amount.cents;
    } else {
      text('message');
      ids('receiver_ids');
      ['team_id', 'moment_id', 'value_id'].forEach(id);
      // The page's form asks for a value (KudosFormSchema); the API does not.
      if (one('value_id') === undefined) problems.value_id = 'chooseOption';
      // A checkbox is on when it is sent at all, as on the page.
      payload.private = all('private').length > 0;
    }
    return { payload, problems: Object.keys(problems).length ? problems : null };
  }

  /** A queue entry for a posted form. An entry the page would refuse is kept as "needs
   * attention" with the reason, never sent and never dropped. */
  function newEntry({ type, clientId, fields, userId, returnUrl }) {
    const { payload, problems } = toPayload(type, clientId, fields);
    return {
      type,
      client_id: clientId,
      user_id: String(userId),
      payload,
      fields,
      problems,
      return_url: returnUrl,
      created_at: new Date().toISOString(),
      status: problems ? 'rejected' : 'pending',
    };
  }

  /** An entry's key in the store: its client id and a digest of its payload. Sending one
   * form twice keeps one entry; another entry that reuses a client id can never overwrite
   * it (both are kept, and the server refuses the second with 409). */
  async function entryKey(entry) {
    const bytes = new TextEncoder().encode(JSON.stringify(entry.payload));
    const digest = new Uint8Array(await root.crypto.subtle.digest('SHA-256', bytes));
    const hex = [...digest.slice(0, 8)].map((b) => b.toString(16).padStart(2, '0')).join('');
    return `${entry.client_id}.${hex}`;
  }

  /* ---- IndexedDB: one store of entries, one of facts about the device ---- */

  function upgrade(request) {
    const db = request.result;
    if (!db.objectStoreNames.contains('meta')) db.createObjectStore('meta', { keyPath: 'key' });
    if (db.objectStoreNames.contains(ENTRIES)) return;
    const entries = db.createObjectStore(ENTRIES, { keyPath: 'key' });
    if (!db.objectStoreNames.contains('queue')) return;
    // Version 1 kept entries under their client id alone: move them over, keys unchanged.
    request.transaction.objectStore('queue').getAll().onsuccess = (event) => {
      event.target.result.forEach((entry) => entries.put({ ...entry, key: entry.client_id }));
      db.deleteObjectStore('queue');
    };
  }

  function openDb() {
    return new Promise((resolve, reject) => {
      const request = root.indexedDB.open(DB_NAME, DB_VERSION);
      request.onupgradeneeded = () => upgrade(request);
      request.onsuccess = () => {
        const db = request.result;
        db.onversionchange = () => db.close(); // never block a newer version of this file
        resolve(db);
      };
      request.onerror = () => reject(request.error);
    });
  }

  async function inStore(store, mode, make) {
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

  /** Every entry of `userId` (all entries without one), oldest first. */
  async function listEntries(userId) {
    const all = await inStore(ENTRIES, 'readonly', (store) => store.getAll());
    return all
      .filter((entry) => userId === undefined || String(entry.user_id) === String(userId))
      .sort((a, b) => a.created_at.localeCompare(b.created_at));
  }

  const getEntry = (key) => inStore(ENTRIES, 'readonly', (store) => store.get(key));

  /** Store an entry (its key is made on first store). */
  async function putEntry(entry) {
    const stored = entry.key ? entry : { ...entry, key: await entryKey(entry) };
    await inStore(ENTRIES, 'readwrite', (store) => store.put(stored));
    return stored;
  }

  const removeEntry = (key) => inStore(ENTRIES, 'readwrite', (store) => store.delete(key));

  /** Remember who the pages say is signed in: the worker files the forms it keeps under
   * them, and the offline page lists their entries. */
  const saveSession = (userId) =>
    inStore('meta', 'readwrite', (store) => store.put({ key: 'session', user_id: String(userId) }));
  const clearSession = () => inStore('meta', 'readwrite', (store) => store.delete('session'));
  const getSession = () => inStore('meta', 'readonly', (store) => store.get('session'));

  /* ---- Sending: one sender at a time across tabs and the worker ---- */

  let runningHere = false;

  /** Send the pending entries of whoever is signed in now; resolves to {sent, rejected,
   * retry}. Serialised by the Web Lock "kizuki-sync" (a flag where locks are missing). */
  async function syncQueue() {
    const locks = root.navigator && root.navigator.locks;
    if (locks) return locks.request(LOCK, sendPending);
    if (runningHere) return { sent: 0, rejected: 0, retry: true };
    runningHere = true;
    try {
      return await sendPending();
    } finally {
      runningHere = false;
    }
  }

  async function sendPending() {
    const outcome = { sent: 0, rejected: 0, retry: false };
    // Read inside the lock: whoever held it before may have sent these already.
    const waiting = (await listEntries()).filter((entry) => entry.status === 'pending');
    if (!waiting.length) return outcome;
    const session = await signedIn();
    if (session.state === 'retry') return { ...outcome, retry: true };
    // Only the entries of the person the cookie signs in: everyone else's wait for them.
    const mine = waiting.filter((entry) => session.state === 'ok' && entry.user_id === session.userId);
    for (const entry of mine) {
      const result = await send(entry, session.csrf);
      if (result.state === 'done') {
        await removeEntry(entry.key);
        outcome.sent += 1;
      } else if (result.state === 'rejected') {
        await putEntry({ ...entry, status: 'rejected', reason: result.reason });
        outcome.rejected += 1;
      } else {
        outcome.retry = true;
        break; // the connection is gone again: keep the order, try later
      }
    }
    return outcome;
  }

  /** Who the session cookie signs in, with a current CSRF token: {state: "ok", userId,
   * csrf}, {state: "signed-out"}, or {state: "retry"} when the server cannot be reached. */
  async function signedIn() {
    let response;
    try {
      response = await root.fetch(SESSION_URL, {
        credentials: 'same-origin',
        redirect: 'manual',
        headers: { Accept: 'application/json' },
      });
    } catch {
      return { state: 'retry' };
    }
    if (response.status === 401) return { state: 'signed-out' };
    const body = response.ok ? await response.json().catch(() => null) : null;
    if (!body || !body.user) return { state: 'retry' };
    return { state: 'ok', userId: String(body.user.id), csrf: body.csrf_token };
  }

  /** POST one entry: done (201 new, 200 the same entry again), rejected (a 4xx problem:
   * the entry needs its author) or retry (no answer, signed out, server trouble). */
  async function send(entry, csrf) {
    let response;
    try {
      response = await root.fetch(ENDPOINTS[entry.type], {
        method: 'POST',
        credentials: 'same-origin',
        // A redirect means "signed out" (to the login page): never mistake it for success.
        redirect: 'manual',
        headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrf || '' },
        body: JSON.stringify(entry.payload),
      });
    } catch {
      return { state: 'retry' };
    }
    const isJson = (response.headers.get('Content-Type') || '').includes('json');
    if ((response.status === 200 || response.status === 201) && isJson) return { state: 'done' };
    if (response.status >= 400 && response.status < 500 && isJson && !RETRY_STATUSES.includes(response.status)) {
      const problem = await response.json().catch(() => ({}));
      // A stale CSRF token is ours to fix, not the entry's: keep it for the next try.
      if (!/csrf/i.test(problem.title || '')) return { state: 'rejected', reason: problemReason(problem) };
    }
    return { state: 'retry' };
  }

  /** The human reason in a problem document: its field errors, else its detail or title. */
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

  root.KizukiQueue = Object.freeze({
    FORM_TYPES,
    newClientId,
    fieldsOf,
    readAmount,
    toPayload,
    newEntry,
    entryKey,
    listEntries,
    getEntry,
    putEntry,
    removeEntry,
    saveSession,
    clearSession,
    getSession,
    syncQueue,
    send,
    problemReason,
  });
})(typeof self !== 'undefined' ? self : globalThis);
