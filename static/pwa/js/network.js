// The offline banner: "offline: this page was last updated at …" (the time the server
// rendered it, from <meta name="rendered-at">), shown while the browser has no connection,
// and on any copy of a page the service worker served from its cache (it marks those with
// <meta name="kizuki-cached-at">) because the network failed although the browser believed
// it was online, or the server answered with an error.

import { meta, t } from './strings.js';

function banner() {
  return document.querySelector('[data-offline-banner]');
}

function renderedAt() {
  const stamp = meta('rendered-at');
  const date = stamp ? new Date(stamp) : null;
  if (!date || Number.isNaN(date.getTime())) return null;
  // Dates in the reader's region (en-GB: 30/11/2026, 14:05), as the server writes them.
  const lang = meta('format-locale') || document.documentElement.lang || undefined;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'medium', timeStyle: 'short' }).format(date);
}

/** Show or hide the banner for the current connection state. */
export function updateBanner() {
  const node = banner();
  if (!node) return;
  if (navigator.onLine && !meta('kizuki-cached-at')) {
    node.hidden = true;
    return;
  }
  const time = renderedAt();
  node.textContent = time && window.location.pathname !== '/offline' ? t('cachedAt', { time }) : t('offline');
  node.hidden = false;
}

/** Follow the connection; `onOnline` runs each time it returns. */
export function watchNetwork(onOnline) {
  updateBanner();
  window.addEventListener('offline', updateBanner);
  window.addEventListener('online', () => {
    updateBanner();
    onOnline();
  });
}
