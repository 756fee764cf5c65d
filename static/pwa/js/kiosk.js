// The kiosk's small script (progressive enhancement; the kiosk works without it).
// - After a minute without a touch or a key, the turn ends and the faces come back (the
//   server also ends every turn two minutes after the PIN, whatever the screen does).
// - A form is posted only when the server answers (the browser's "online" is not enough).
//   Offline, a moment is kept on this kiosk, bound to the person with the signed grant of
//   their turn, and sent once when the connection is back: its client id makes a repeat
//   the same moment, and it leaves the kiosk only when the server has it. The payload
//   follows the rules of the app's offline queue (queue-core.js). Anything else typed
//   offline (kudos, a PIN, a search for colleagues) is refused with a clear message, and
//   the text stays. The picker's search button is posted with the form (the page comes
//   back with the matches, nothing saved).

import './queue-core.js';

const core = globalThis.KizukiQueue;
const IDLE_MS = 60 * 1000;
const PROBE_MS = 3000;
const RETRY_MS = 10 * 1000;
const STORE = 'kizuki-kiosk-queue';
const LOCK = 'kizuki-kiosk-queue';
const RETRY_STATUSES = [408, 429];

/* ---- Is the server there? ---- */

async function reachable() {
  if (!navigator.onLine) return false;
  const controller = new AbortController();
  const timer = window.setTimeout(() => controller.abort(), PROBE_MS);
  try {
    const response = await fetch('/healthz', { cache: 'no-store', signal: controller.signal });
    return response.ok;
  } catch (error) {
    return false;
  } finally {
    window.clearTimeout(timer);
  }
}

function show(selector, shown) {
  const node = document.querySelector(selector);
  if (!node) return;
  node.hidden = !shown;
  if (shown) node.scrollIntoView({ block: 'nearest' });
}

/* ---- Moments kept on this kiosk ---- */

function keptEntries() {
  try {
    const entries = JSON.parse(window.localStorage.getItem(STORE) || '[]');
    return Array.isArray(entries) ? entries : [];
  } catch (error) {
    return [];
  }
}

function saveKept(entries) {
  window.localStorage.setItem(STORE, JSON.stringify(entries));
}

function withLock(work) {
  return navigator.locks ? navigator.locks.request(LOCK, work) : work();
}

/** A queue entry for the moment form, bound to the person of the turn; null when the form
 * is not complete (the person must finish it, online). */
function entryFor(form) {
  const clientId = form.elements.client_id.value || core.newClientId();
  const entry = core.newEntry({
    type: 'moment',
    clientId,
    fields: core.fieldsOf(new FormData(form)),
    userId: form.dataset.person,
    returnUrl: '/kiosk',
  });
  const { payload } = entry;
  const blank = ['cue', 'action', 'reaction'].some((name) => !String(payload[name] || '').trim());
  if (entry.problems || blank || !payload.value_ids.length) return null;
  payload.grant = form.elements.grant.value;
  delete entry.fields; // the payload is all that is sent; keep no second copy of the text
  entry.url = form.dataset.kioskQueue;
  return entry;
}

async function keep(entry) {
  await withLock(async () => {
    const entries = keptEntries().filter((kept) => kept.client_id !== entry.client_id);
    entries.push(entry);
    saveKept(entries);
  });
}

/** Send what is kept, oldest first: removed when the server has it (201 new, 200 the same
 * one again); kept as rejected on a refusal; left for later when there is no answer. */
async function sendKept() {
  return withLock(async () => {
    for (const entry of keptEntries().filter((kept) => kept.status === 'pending')) {
      const state = await send(entry);
      if (state === 'retry') return false;
      const rest = keptEntries().filter((kept) => kept.client_id !== entry.client_id);
      // A refused entry stays (never silently dropped), without the grant that speaks for
      // its person: nobody at this kiosk can use it again.
      if (state === 'rejected') {
        const { grant, ...payload } = entry.payload;
        rest.push({ ...entry, payload, status: 'rejected' });
      }
      saveKept(rest);
    }
    return true;
  });
}

async function send(entry) {
  let response;
  try {
    response = await fetch(entry.url, {
      method: 'POST',
      credentials: 'same-origin',
      redirect: 'manual',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify(entry.payload),
    });
  } catch (error) {
    return 'retry';
  }
  const isJson = (response.headers.get('Content-Type') || '').includes('json');
  if ((response.status === 200 || response.status === 201) && isJson) return 'done';
  if (response.status >= 400 && response.status < 500 && !RETRY_STATUSES.includes(response.status)) {
    return 'rejected';
  }
  return 'retry';
}

function pending() {
  return keptEntries().some((kept) => kept.status === 'pending');
}

/** Try until the server has everything kept; then `after` (back to the faces). */
async function flush(after) {
  if (pending() && !((await reachable()) && (await sendKept()))) {
    window.setTimeout(() => flush(after), RETRY_MS);
    return;
  }
  if (after) after();
}

/* ---- Forms and the way back to the faces ---- */

function leaveTurn() {
  const done = document.querySelector('form[data-kiosk-done]');
  if (done) done.submit();
  else if (window.location.pathname !== '/kiosk') window.location.assign('/kiosk');
}

async function backToFaces() {
  show('[data-kiosk-idle]', true);
  if (await reachable()) leaveTurn();
  else window.setTimeout(backToFaces, RETRY_MS); // the server ends the turn on its own
}

/** The button that sent the form when it speaks for itself (the picker's search button):
 * form.submit() leaves it out, so it goes as a hidden field. */
function keepSubmitter(form, submitter) {
  form.querySelectorAll('input[data-kiosk-submitter]').forEach((input) => input.remove());
  if (!submitter || !submitter.name) return;
  const input = document.createElement('input');
  input.type = 'hidden';
  input.name = submitter.name;
  input.value = submitter.value;
  input.dataset.kioskSubmitter = '1';
  form.append(input);
}

async function submitWhenReachable(event) {
  const form = event.currentTarget;
  const { submitter } = event;
  event.preventDefault();
  if (form.dataset.sending) return;
  form.dataset.sending = '1';
  try {
    if (await reachable()) {
      show('[data-kiosk-offline]', false);
      keepSubmitter(form, submitter);
      form.submit();
      return;
    }
    // A search (the picker's own button) needs the server: nothing is kept for it.
    const searching = Boolean(submitter && submitter.name === 'picker_search');
    const entry = form.dataset.kioskQueue && !searching ? entryFor(form) : null;
    if (!entry) {
      show('[data-kiosk-offline]', true);
      return;
    }
    await keep(entry);
    form.reset();
    form.hidden = true;
    show('[data-kiosk-offline]', false);
    show('[data-kiosk-kept]', true);
    flush(leaveTurn);
  } finally {
    delete form.dataset.sending;
  }
}

export function init() {
  document.querySelectorAll('form[data-kiosk-form]').forEach((form) =>
    form.addEventListener('submit', submitWhenReachable),
  );
  window.addEventListener('online', () => {
    show('[data-kiosk-offline]', false);
    if (pending()) flush(null);
  });
  if (pending()) flush(null);
  if (window.location.pathname !== '/kiosk' || document.querySelector('form[data-kiosk-done]')) {
    whenIdle(backToFaces);
  }
}

function whenIdle(callback) {
  let timer = null;
  const restart = () => {
    window.clearTimeout(timer);
    timer = window.setTimeout(callback, IDLE_MS);
  };
  ['pointerdown', 'keydown', 'input', 'scroll'].forEach((name) =>
    window.addEventListener(name, restart, { passive: true, capture: true }),
  );
  restart();
}

init();
