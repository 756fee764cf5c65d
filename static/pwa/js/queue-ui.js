// The "waiting to sync" list: shown on the feed, the moment and kudos forms and the offline
// page, so nothing entered offline is ever out of sight. Entries that need attention (the
// server, or the page's own rules, refused them) show the reason with Edit (the form,
// pre-filled, with a new client id) and Discard.

import { listEntries, removeEntry } from './offline-queue.js';
import { meta, t } from './strings.js';

const LIST_PAGES = ['/', '/moments/new', '/kudos/new', '/offline'];

function excerpt(entry) {
  const text = ((entry.type === 'moment' ? entry.payload.cue : entry.payload.message) || '').trim();
  const label = t(entry.type === 'moment' ? 'moment' : 'kudos');
  const short = (text || '').length > 90 ? `${text.slice(0, 88)}…` : text || '';
  return `${label}: ${short}`;
}

function when(iso) {
  // Dates in the reader's region (en-GB: 30/11/2026, 14:05), as the server writes them.
  const lang = meta('format-locale') || document.documentElement.lang || undefined;
  return new Intl.DateTimeFormat(lang, { dateStyle: 'short', timeStyle: 'short' }).format(new Date(iso));
}

function renderItem(template, entry, onChange) {
  const item = template.content.firstElementChild.cloneNode(true);
  const field = (name) => item.querySelector(`[data-field="${name}"]`);
  item.dataset.key = entry.key;
  item.dataset.clientId = entry.client_id;
  item.dataset.status = entry.status;
  field('text').textContent = excerpt(entry);
  field('when').textContent = when(entry.created_at);
  const rejected = entry.status === 'rejected';
  field('status').textContent = t(rejected ? 'rejected' : 'waiting');
  if (rejected) {
    field('reason').textContent = reason(entry);
    field('reason').hidden = false;
    field('actions').hidden = false;
    item.querySelector('[data-action="edit"]').href = `${entry.return_url}#edit=${entry.key}`;
    item.querySelector('[data-action="discard"]').addEventListener('click', async () => {
      if (!window.confirm(t('discardConfirm'))) return;
      await removeEntry(entry.key);
      onChange();
    });
  }
  return item;
}

/** Why an entry needs attention: the server's words, or the page's own for what it refused
 * before sending (in the language of the page showing it). */
function reason(entry) {
  const own = Object.values(entry.problems || {}).map((key) => t(key));
  return entry.reason || own.join(' ') || t('unknownReason');
}

/** Where the list goes on this page: after the form on form pages, on top elsewhere. */
function place(section) {
  const main = document.getElementById('main');
  if (!main || main.contains(section)) return;
  const form = main.querySelector('form[method="post" i]');
  if (window.location.pathname === '/offline') main.append(section);
  else if (form && window.location.pathname !== '/') form.after(section);
  else {
    const flashes = main.querySelector('.flashes');
    if (flashes) flashes.after(section);
    else main.prepend(section);
  }
}

/** Draw the queue of `userId` (or hide the section when it is empty). */
export async function renderQueue(userId) {
  const section = document.querySelector('[data-queue]');
  if (!section || !userId || !LIST_PAGES.includes(window.location.pathname)) return;
  const entries = await listEntries(userId);
  const list = section.querySelector('[data-queue-list]');
  const template = section.querySelector('[data-queue-template]');
  list.replaceChildren(...entries.map((entry) => renderItem(template, entry, () => renderQueue(userId))));
  const key = entries.length === 1 ? 'summaryOne' : 'summaryOther';
  section.querySelector('[data-queue-summary]').textContent = t(key, { n: entries.length });
  place(section);
  section.hidden = entries.length === 0;
}
