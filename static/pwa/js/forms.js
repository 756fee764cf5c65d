// The moment and kudos forms offline: the submit is kept on this device instead of being
// lost. Every form shown gets a client id made here, and a new one after every submit, so
// no two entries ever share one (a page served from the cache must never hand out the id
// of an entry that was already sent). Online, the form posts normally (no JavaScript needed).

import { FORM_TYPES, fieldsOf, getEntry, newClientId, newEntry, putEntry, removeEntry } from './offline-queue.js';
import { personItem } from './picker.js';
import { t } from './strings.js';

/** The queue type of a form ("moment", "kudos") or null for any other form. */
export function formType(form) {
  if ((form.getAttribute('method') || 'get').toLowerCase() !== 'post') return null;
  return FORM_TYPES[actionUrl(form).pathname] || null;
}

// Not form.action: the moment form has a field named "action", which shadows it.
function actionUrl(form) {
  return new URL(form.getAttribute('action') || window.location.href, window.location.href);
}

function clientIdInput(form) {
  return form.querySelector('input[name="client_id"]');
}

/** Give every moment and kudos form on the page a client id of its own. */
export function freshenClientIds() {
  for (const form of document.forms) {
    const input = formType(form) && clientIdInput(form);
    if (input) input.value = newClientId();
  }
}

/** Keep the form as a queued entry and give it a fresh client id for the next one. Returns
 * null (and shows the server's message on the field) when the page would refuse the form. */
export async function queueForm(form, type, userId) {
  clearProblems(form);
  const input = clientIdInput(form);
  const url = actionUrl(form);
  const entry = newEntry({
    type,
    clientId: (input && input.value) || newClientId(),
    fields: fieldsOf(new FormData(form)),
    userId,
    returnUrl: url.pathname + url.search,
  });
  if (entry.problems) {
    showProblems(form, entry.problems);
    return null;
  }
  // Empty the form before waiting on storage, so what is typed next is never wiped by it.
  const editing = form.dataset.editing;
  form.reset();
  delete form.dataset.editing;
  if (input) input.value = newClientId();
  try {
    return await putEntry(entry);
  } catch (error) {
    fillForm(form, entry.fields); // not stored: give the person their words back
    if (editing) form.dataset.editing = editing;
    throw error;
  }
}

/** Fill `form` from a queued entry (the Edit button of an entry that needs attention). */
export async function prefill(form, key) {
  const entry = await getEntry(key);
  if (!entry) return false;
  fillForm(form, entry.fields);
  // A new entry with a new id: the server may hold something else under the old one.
  const input = clientIdInput(form);
  if (input) input.value = newClientId();
  // The edited entry replaces the old one once it is submitted again.
  form.dataset.editing = entry.key;
  return true;
}

function fillForm(form, fields) {
  const values = new Map();
  fields.forEach(([name, value]) => values.set(name, [...(values.get(name) || []), value]));
  for (const element of form.elements) {
    if (!element.name || ['csrf_token', 'client_id'].includes(element.name) || element.type === 'submit') continue;
    const wanted = values.get(element.name) || [];
    if (element.type === 'checkbox' || element.type === 'radio') element.checked = wanted.includes(element.value);
    else if (element.tagName === 'SELECT') [...element.options].forEach((o) => { o.selected = wanted.includes(o.value); });
    else element.value = wanted[0] || '';
  }
  keepChosen(form, values);
}

/* A picker lists a bounded number of colleagues (webapp/orgs/picker.py): someone the entry
 * chose through the search may have no box on the page. They stay chosen, in a box of their
 * own at the top of the picker (unticking it leaves them out), never silently dropped. The
 * box is the picker's own (`personItem`: a checkbox, or a radio in a single-choice picker). */
function keepChosen(form, values) {
  for (const fieldset of form.querySelectorAll('[data-picker]')) {
    const name = fieldset.dataset.picker;
    const boxes = [...form.elements].filter((element) => element.name === name);
    const present = new Set(boxes.map((element) => element.value));
    const missing = (values.get(name) || []).filter((value) => value && !present.has(value));
    const list = fieldset.querySelector('.picker__list');
    if (!missing.length || !list) continue;
    const kept = fieldset.dataset.keptLabel || '';
    for (const value of missing) {
      list.prepend(personItem(fieldset, { id: value, name: kept }, { prefix: `${name}-kept`, checked: true }));
    }
  }
}

/** When an edited entry is submitted (online or offline), drop the one it replaces. */
export async function forgetEdited(form) {
  if (form.dataset.editing) await removeEntry(form.dataset.editing);
}

/* Field messages as the server renders them (templates/_forms.html), for a form the page
 * refuses offline exactly as the server would refuse it online. */

function showProblems(form, problems) {
  let first = null;
  for (const [name, key] of Object.entries(problems)) {
    const field = form.elements.namedItem(name);
    if (!field || !field.id) continue;
    const box = document.createElement('div');
    box.className = 'field__errors';
    box.id = `${field.id}-error`;
    box.dataset.localError = '';
    const message = document.createElement('p');
    message.className = 'field__error';
    message.textContent = t(key);
    box.append(message);
    field.after(box);
    field.setAttribute('aria-invalid', 'true');
    field.setAttribute('aria-describedby', `${field.getAttribute('aria-describedby') || ''} ${box.id}`.trim());
    first = first || field;
  }
  if (first) {
    first.closest('details')?.setAttribute('open', '');
    first.focus();
  }
}

function clearProblems(form) {
  form.querySelectorAll('[data-local-error]').forEach((box) => {
    const field = form.querySelector(`[aria-describedby~="${box.id}"]`);
    if (field) {
      field.removeAttribute('aria-invalid');
      const rest = field.getAttribute('aria-describedby').split(' ').filter((id) => id !== box.id);
      if (rest.length) field.setAttribute('aria-describedby', rest.join(' '));
      else field.removeAttribute('aria-describedby');
    }
    box.remove();
  });
}
