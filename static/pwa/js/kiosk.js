// The kiosk's small script (progressive enhancement; the kiosk works without it).
// - After a minute without a touch or a key, the turn ends and the faces come back (the
//   server also ends every turn two minutes after the PIN, whatever the screen does).
// - Offline (or on a connection that only looks alive), a form is not posted: the kiosk has
//   no offline queue, so it would be lost. The person is told, and the text stays.

const IDLE_MS = 60 * 1000;

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

function backToFaces() {
  const done = document.querySelector('form[data-kiosk-done]');
  const notice = document.querySelector('[data-kiosk-idle]');
  if (notice) notice.hidden = false;
  if (!navigator.onLine) return; // the server ends the turn on its own
  if (done) done.submit();
  else if (window.location.pathname !== '/kiosk') window.location.assign('/kiosk');
}

const PROBE_MS = 3000;

/** True when the server answers now: the browser's "online" is not enough (lie-fi). */
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

function showOffline(shown) {
  const notice = document.querySelector('[data-kiosk-offline]');
  if (!notice) return;
  notice.hidden = !shown;
  if (shown) notice.scrollIntoView({ block: 'nearest' });
}

/** Post the form only when the server can be reached; otherwise say so and keep the text. */
async function submitWhenReachable(event) {
  const form = event.currentTarget;
  event.preventDefault();
  if (form.dataset.sending) return;
  form.dataset.sending = '1';
  try {
    if (await reachable()) {
      showOffline(false);
      form.submit();
      return;
    }
    showOffline(true);
  } finally {
    delete form.dataset.sending;
  }
}

export function init() {
  document.querySelectorAll('form[data-kiosk-form]').forEach((form) =>
    form.addEventListener('submit', submitWhenReachable),
  );
  window.addEventListener('online', () => showOffline(false));
  if (window.location.pathname !== '/kiosk' || document.querySelector('form[data-kiosk-done]')) {
    whenIdle(backToFaces);
  }
}

init();
