// The UI words, translated by the server into the page (templates/pwa/_shell.html).

let cache = null;

/** The translated string `key`, with `{name}` placeholders filled from `values`. */
export function t(key, values = {}) {
  if (cache === null) {
    const node = document.getElementById('pwa-strings');
    try {
      cache = node ? JSON.parse(node.textContent) : {};
    } catch {
      cache = {};
    }
  }
  const text = cache[key] || key;
  return text.replace(/\{(\w+)\}/g, (match, name) => (name in values ? String(values[name]) : match));
}

/** A meta tag's content, or null. */
export function meta(name) {
  const node = document.querySelector(`meta[name="${name}"]`);
  return node ? node.getAttribute('content') : null;
}
