// Installing the app: the browser's own prompt behind an "Install app" button where it offers
// one (beforeinstallprompt), and a short "Add to Home Screen" hint on iOS Safari. Either can
// be dismissed, and the choice is remembered on this device.

const DISMISSED = 'kizuki:install-dismissed';
let deferred = null;

function bar() {
  return document.querySelector('[data-install-bar]');
}

function dismissed() {
  try {
    return window.localStorage.getItem(DISMISSED) === '1';
  } catch {
    return false;
  }
}

function dismiss() {
  try {
    window.localStorage.setItem(DISMISSED, '1');
  } catch {
    // Private mode without storage: the hint simply comes back next time.
  }
  bar().hidden = true;
}

function standalone() {
  return window.matchMedia('(display-mode: standalone)').matches || window.navigator.standalone === true;
}

/** True on iPhone/iPad Safari, which has no install prompt of its own. */
export function isIosSafari(userAgent = navigator.userAgent, touchPoints = navigator.maxTouchPoints) {
  const ios = /iPhone|iPad|iPod/.test(userAgent) || (/Macintosh/.test(userAgent) && touchPoints > 1);
  return ios && /Safari/.test(userAgent) && !/CriOS|FxiOS|EdgiOS/.test(userAgent);
}

function show(kind) {
  const node = bar();
  if (!node || dismissed() || standalone()) return;
  node.querySelector('[data-install-text]').hidden = kind !== 'prompt';
  node.querySelector('[data-ios-text]').hidden = kind !== 'ios';
  node.querySelector('[data-install-button]').hidden = kind !== 'prompt';
  // An inline card below the thank-you of a success page (never fixed over a form).
  node.hidden = false;
}

/** Wire the install button and the iOS hint. */
export function initInstall() {
  // Every page keeps the browser's own install banner away (it would sit over the page);
  // only a page after a success carries our card and offers to install.
  window.addEventListener('beforeinstallprompt', (event) => {
    event.preventDefault();
    deferred = event;
    show('prompt');
  });
  const node = bar();
  if (!node) return;
  node.querySelector('[data-install-dismiss]').addEventListener('click', dismiss);
  node.querySelector('[data-install-button]').addEventListener('click', async () => {
    if (!deferred) return;
    node.hidden = true;
    deferred.prompt();
    await deferred.userChoice.catch(() => null);
    deferred = null;
  });
  window.addEventListener('appinstalled', () => {
    deferred = null;
    node.hidden = true;
  });
  if (isIosSafari()) show('ios');
}
