// Kizuki app shell script. Progressive enhancement only: every page works without it.
// It registers the service worker, shows the offline banner and the update/install prompts,
// and keeps moments and kudos entered offline in a queue that syncs when the connection returns.

import { formType, freshenClientIds, forgetEdited, prefill, queueForm } from './forms.js';
import { initInstall } from './install.js';
import { initJoy } from './joy.js';
import { watchNetwork } from './network.js';
import { clearSession, getSession, removeEntry, saveSession, syncQueue } from './offline-queue.js';
import { renderQueue } from './queue-ui.js';
import { registerWorker } from './sw-register.js';
import { meta, t } from './strings.js';
import { toast } from './toast.js';

const PAGES_CACHE = 'kizuki-pages';
const SYNC_TAG = 'kizuki-queue';

const state = { userId: null, registration: null };

/** Mark the document as scripted so CSS can reveal JS-only controls. */
export function init() {
  document.documentElement.classList.add('js');
  // A refused form: the summary of its messages takes the focus (autofocus may lose to the
  // page restoring its scroll position).
  document.getElementById('error-summary')?.focus();
  // First, before anything can fail: this page's forms get client ids of their own (a form
  // from the cache, or one brought back with the Back button, must not reuse a sent one).
  freshenClientIds();
  initJoy();
  window.addEventListener('pageshow', (event) => {
    if (event.persisted) freshenClientIds();
  });
  startPwa().catch((error) => console.warn('Kizuki offline features unavailable', error));
}

async function startPwa() {
  initInstall();
  wireLogout();
  if (window.location.pathname === '/login') await forgetPages();
  state.registration = await registerWorker();
  if (!('indexedDB' in window)) return;
  await identify();
  wireForms();
  watchNetwork(trySync);
  navigator.serviceWorker?.addEventListener('message', (event) => {
    if (event.data?.type === 'QUEUE_CHANGED') afterSync(event.data.outcome);
  });
  await renderQueue(state.userId);
  await openEditedEntry();
  if (new URLSearchParams(window.location.search).has('queued')) toast(t('queued'));
  if (navigator.onLine) await trySync();
}

/** Who is signed in: from the page, or (on the shared offline page) from the last page seen.
 * Sending asks the server instead (GET /api/v1/session): this only decides whose entries
 * are listed, and whom the worker files a form under when it cannot be sent. */
async function identify() {
  state.userId = meta('kizuki-user');
  if (state.userId) {
    await saveSession(state.userId);
  } else if (window.location.pathname === '/offline') {
    const session = await getSession();
    state.userId = session?.user_id || null;
  }
}

/** Empty the per-person page cache (on sign-out and on the login page). */
async function forgetPages() {
  const jobs = [clearSession().catch(() => {})];
  if ('caches' in window) jobs.push(caches.delete(PAGES_CACHE));
  navigator.serviceWorker?.controller?.postMessage({ type: 'CLEAR_PAGES' });
  // Never let a slow disk hold up signing out.
  await Promise.race([Promise.all(jobs), new Promise((resolve) => setTimeout(resolve, 1500))]);
}

function wireLogout() {
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    const action = new URL(form.getAttribute('action') || '', window.location.href);
    if (action.pathname !== '/logout' || form.dataset.cleared) return;
    event.preventDefault();
    await forgetPages();
    form.dataset.cleared = '1';
    form.submit();
  });
}

function wireForms() {
  document.addEventListener('submit', async (event) => {
    const form = event.target;
    const type = formType(form);
    if (!type || !state.userId) return;
    // The people picker's search (templates/_picker.html) only shows the form again: never
    // kept as an entry.
    if (event.submitter?.name === 'picker_search') return;
    if (navigator.onLine) {
      forgetEdited(form); // posts normally; the service worker queues it if the post fails
      return;
    }
    event.preventDefault();
    const editing = form.dataset.editing;
    if (!(await queueForm(form, type, state.userId))) return; // refused: the field says why
    if (editing) await removeEntry(editing);
    toast(t('queued'));
    await renderQueue(state.userId);
    state.registration?.sync?.register(SYNC_TAG).catch(() => {});
  });
}

async function openEditedEntry() {
  const match = window.location.hash.match(/^#edit=([\w.-]+)$/);
  if (!match) return;
  const form = [...document.forms].find((candidate) => formType(candidate));
  if (form && (await prefill(form, match[1]))) form.querySelector('input:not([type=hidden]), textarea, select')?.focus();
}

let syncing = null;
let retryTimer = null;
let retryDelay = 2000;

/** Send the queue now (serialised: a second trigger waits for the first). */
async function trySync() {
  if (!state.userId) return;
  clearTimeout(retryTimer);
  syncing = (syncing || Promise.resolve()).then(() => syncQueue()).then(afterSync, () => {});
  await syncing;
}

/** "Online" but the send failed (a weak signal): try again later, backing off to a minute. */
function retryLater() {
  clearTimeout(retryTimer);
  retryTimer = setTimeout(trySync, retryDelay);
  retryDelay = Math.min(retryDelay * 2, 60000);
}

async function afterSync(outcome) {
  await renderQueue(state.userId);
  if (!outcome) return;
  if (outcome.retry && navigator.onLine) retryLater();
  else if (!outcome.retry) retryDelay = 2000;
  if (outcome.rejected) toast(t('rejectedToast'), 8000);
  else if (outcome.sent) toast(t('synced'));
}

init();
