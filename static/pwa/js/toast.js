// A short status message (role="status", so screen readers hear it too).

let timer = null;

/** Show `text` in the toast for a few seconds. */
export function toast(text, ms = 4000) {
  const node = document.querySelector('[data-sync-toast]');
  if (!node || !text) return;
  node.textContent = text;
  node.hidden = false;
  clearTimeout(timer);
  timer = setTimeout(() => {
    node.hidden = true;
  }, ms);
}
