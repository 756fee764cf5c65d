// The kiosk's small script (progressive enhancement; the kiosk works without it).
// - After a minute without a touch or a key, the turn ends and the faces come back (the
//   server also ends every turn two minutes after the PIN, whatever the screen does).
// - Offline, a form is not posted: it would be lost. The person is told, and the text stays.

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

function refuseOffline(event) {
  if (navigator.onLine) return;
  event.preventDefault();
  const notice = document.querySelector('[data-kiosk-offline]');
  if (notice) {
    notice.hidden = false;
    notice.scrollIntoView({ block: 'nearest' });
  }
}

export function init() {
  document.querySelectorAll('form[data-kiosk-form]').forEach((form) =>
    form.addEventListener('submit', refuseOffline),
  );
  window.addEventListener('online', () => {
    const notice = document.querySelector('[data-kiosk-offline]');
    if (notice) notice.hidden = true;
  });
  if (window.location.pathname !== '/kiosk' || document.querySelector('form[data-kiosk-done]')) {
    whenIdle(backToFaces);
  }
}

init();
