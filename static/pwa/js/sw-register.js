// Registering the service worker and offering "a new version is ready: reload" when an
// updated worker is waiting. The reload happens only when the person asks for it.

let reloading = false;

function prompt() {
  return document.querySelector('[data-update-prompt]');
}

function offerUpdate(worker) {
  const node = prompt();
  if (!node) return;
  node.hidden = false;
  node.querySelector('[data-update-reload]').onclick = () => {
    reloading = true;
    worker.postMessage({ type: 'SKIP_WAITING' });
  };
}

function watchInstalling(registration) {
  const worker = registration.installing;
  if (!worker) return;
  worker.addEventListener('statechange', () => {
    // With a controller already in charge, "installed" means "waiting for its turn".
    if (worker.state === 'installed' && navigator.serviceWorker.controller) offerUpdate(worker);
  });
}

/** Register /sw.js; resolves to the registration, or null where workers are unavailable. */
export async function registerWorker() {
  if (!('serviceWorker' in navigator)) return null;
  navigator.serviceWorker.addEventListener('controllerchange', () => {
    if (reloading) window.location.reload();
  });
  let registration;
  try {
    registration = await navigator.serviceWorker.register('/sw.js', { scope: '/', updateViaCache: 'none' });
  } catch {
    return null; // e.g. a private window that forbids workers: the site works without one
  }
  if (registration.waiting && navigator.serviceWorker.controller) offerUpdate(registration.waiting);
  watchInstalling(registration);
  registration.addEventListener('updatefound', () => watchInstalling(registration));
  // A page that was still loading when the first worker claimed its pages (sign-in redirects
  // right after registering) stays uncontrolled: ask the worker to take this one too, so it
  // works offline without a reload.
  navigator.serviceWorker.ready.then((ready) => {
    if (!navigator.serviceWorker.controller && ready.active) ready.active.postMessage({ type: 'CLAIM' });
  });
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') registration.update().catch(() => {});
  });
  return registration;
}
