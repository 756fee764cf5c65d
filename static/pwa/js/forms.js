// The moment and kudos forms offline: the submit is kept on this device instead of being
// lost, under the client id the server put in the form, so a retry is the same entry.
// Online, the form posts normally (no JavaScript needed).

import { getEntry, putEntry, removeEntry } from './offline-queue.js';

export const FORM_TYPES = { '/moments/new': 'moment', '/kudos/new': 'kudos' };

/** The queue type of a form ("moment", "kudos") or null for any other form. */
export function formType(form) {
  if ((form.getAttribute('method') || 'get').toLowerCase() !== 'post') return null;
  const action = new URL(form.getAttribute('action') || window.location.href, window.location.href);
  return FORM_TYPES[action.pathname] || null;
}

function newClientId() {
  if (crypto.randomUUID) return crypto.randomUUID();
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = [...bytes].map((b) => b.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** The form's fields as [name, value] pairs (no files, no CSRF token). */
export function formFields(form) {
  const fields = [];
  new FormData(form).forEach((value, name) => {
    if (typeof value === 'string' && name !== 'csrf_token') fields.push([name, value]);
  });
  return fields;
}

/** Form fields to the API's JSON (sw.js has the same mapping for posts it queues). */
export function toPayload(type, clientId, fields) {
  const all = (name) => fields.filter(([key]) => key === name).map(([, value]) => value);
  const one = (name) => (all(name)[0] || '').trim();
  const ids = (name) => all(name).filter(Boolean).map(Number);
  const id = (name) => (one(name) ? Number(one(name)) : undefined);
  const payload = { client_id: clientId };
  if (type === 'moment') {
    Object.assign(payload, {
      cue: one('cue'), action: one('action'), reaction: one('reaction'),
      value_ids: ids('value_ids'), team_id: id('team_id'), colleague_ids: ids('colleague_ids'),
    });
    const cost = one('gesture_cost');
    if (cost) {
      const euros = Number(cost.replace(',', '.'));
      // Unreadable amounts are sent as typed, so the server explains what is wrong.
      payload.gesture_cost_cents = Number.isFinite(euros) ? Math.round(euros * 100) : cost;
      payload.gesture_note = one('gesture_note');
    }
  } else {
    Object.assign(payload, {
      receiver_ids: ids('receiver_ids'), team_id: id('team_id'), moment_id: id('moment_id'),
      value_id: id('value_id'), message: one('message'), private: all('private').length > 0,
    });
  }
  return payload;
}

/** Store the form as a queued entry and give the form a fresh client id for the next one. */
export async function queueForm(form, type, userId) {
  const input = form.querySelector('input[name="client_id"]');
  const clientId = (input && input.value) || newClientId();
  const fields = formFields(form).filter(([name]) => name !== 'client_id');
  const entry = {
    type,
    client_id: clientId,
    user_id: userId,
    payload: toPayload(type, clientId, fields),
    fields,
    // Not form.action: the moment form has a field named "action", which shadows it.
    return_url: new URL(form.getAttribute('action') || window.location.href, window.location.href).pathname,
    created_at: new Date().toISOString(),
    status: 'pending',
  };
  // Empty the form before waiting on storage, so what is typed next is never wiped by it.
  const editing = form.dataset.editing;
  form.reset();
  delete form.dataset.editing;
  if (input) input.value = newClientId();
  try {
    await putEntry(entry);
  } catch (error) {
    fillForm(form, clientId, fields); // not stored: give the person their words back
    if (editing) form.dataset.editing = editing;
    throw error;
  }
  return entry;
}

/** Fill `form` from a queued entry (the Edit button of a rejected entry). */
export async function prefill(form, clientId) {
  const entry = await getEntry(clientId);
  if (!entry) return false;
  fillForm(form, entry.client_id, entry.fields);
  // The edited entry replaces the rejected one once it is submitted again.
  form.dataset.editing = entry.client_id;
  return true;
}

function fillForm(form, clientId, fields) {
  const values = new Map();
  fields.forEach(([name, value]) => values.set(name, [...(values.get(name) || []), value]));
  for (const element of form.elements) {
    if (!element.name || element.name === 'csrf_token' || element.type === 'submit') continue;
    const wanted = values.get(element.name) || [];
    if (element.name === 'client_id') element.value = clientId;
    else if (element.type === 'checkbox' || element.type === 'radio') element.checked = wanted.includes(element.value);
    else if (element.tagName === 'SELECT') [...element.options].forEach((o) => { o.selected = wanted.includes(o.value); });
    else element.value = wanted[0] || '';
  }
}

/** When an edited entry is submitted (online or offline), drop the rejected original. */
export async function forgetEdited(form) {
  if (form.dataset.editing) await removeEntry(form.dataset.editing);
}
