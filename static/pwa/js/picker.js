// The people picker (templates/_picker.html). Progressive enhancement only: without this
// script the picker is a plain list of checkboxes or radios that posts as it is.
// It adds a search box that filters the list as you type (accents ignored: "Sofia" finds
// "Sofía"), shows the chosen people as removable chips, and keeps the list short (the first
// SHOWN people and "Show all"). When the page lists only some of the organisation (a
// chain), typing also asks the server (GET /api/v1/people?q=, debounced, from 2 letters)
// and adds the people it finds as the same checkboxes or radios, so they post as the
// others do; if that fails (offline, or a signal that only looks online) the local matches
// stay and a status line says so. On the recognition form, choosing a person loads their
// moments from GET /manage/recognize/moments?to=<id> instead of reloading the page.

const SHOWN = 8;
const SERVER_MIN = 2; // letters before the server is asked
const SERVER_WAIT = 250; // ms of quiet typing before the server is asked
const SERVER_LIMIT = 20;

/** Lower case, without accents or surrounding spaces, for matching names. */
export function fold(text) {
  return String(text || '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .trim();
}

/** Does `name` match the search `query` (every word of it starts a word of the name, or
 * appears in it)? */
export function matches(name, query) {
  const wanted = fold(query);
  if (!wanted) return true;
  const folded = fold(name);
  return wanted.split(/\s+/).every((word) => folded.includes(word));
}

/** One person as the server template renders them (templates/_picker.html): a checkbox, or
 * a radio where the picker chooses one person (`data-multiple="0"`). `person` is
 * {id, name, initials}; without initials (someone the page cannot name) there is no avatar.
 * `prefix` starts the box's id (the picker's own by default); `checked` ticks it. */
export function personItem(fieldset, person, { prefix, checked = false } = {}) {
  const start = prefix || fieldset.dataset.prefix || fieldset.dataset.picker;
  const item = document.createElement('li');
  item.className = 'list__item check picker__item';
  item.dataset.name = person.name;
  const input = document.createElement('input');
  input.type = fieldset.dataset.multiple === '0' ? 'radio' : 'checkbox';
  input.name = fieldset.dataset.picker;
  input.id = `${start}-${person.id}`;
  input.value = String(person.id);
  input.checked = checked;
  item.append(input);
  if (person.initials != null) {
    const avatar = document.createElement('span');
    avatar.className = `avatar avatar--${(person.id % 6) + 1} avatar--sm`;
    avatar.setAttribute('aria-hidden', 'true');
    avatar.textContent = person.initials;
    item.append(avatar);
  }
  const label = document.createElement('label');
  label.htmlFor = input.id;
  label.textContent = person.name;
  item.append(label);
  return item;
}

/** The list the server's matches go in: the "Found" group, made (first) when needed. */
function foundList(fieldset, after) {
  const name = fieldset.dataset.picker;
  const heading = document.getElementById(`${name}-group-found`);
  if (heading) return heading.closest('.picker__group').querySelector('.picker__list');
  const group = document.createElement('section');
  group.className = 'picker__group';
  group.setAttribute('aria-labelledby', `${name}-group-found`);
  const title = document.createElement('h2');
  title.className = 'picker__heading';
  title.id = `${name}-group-found`;
  title.textContent = fieldset.dataset.foundHeading;
  const list = document.createElement('ul');
  list.className = 'list picker__list';
  group.append(title, list);
  const first = fieldset.querySelector('.picker__group');
  if (first) first.before(group);
  else after.after(group);
  return list;
}

/** The colleagues the server finds for `query`; null when it cannot answer. */
async function askServer(url, query) {
  const address = `${url}?q=${encodeURIComponent(query)}&limit=${SERVER_LIMIT}`;
  try {
    const response = await fetch(address, { credentials: 'same-origin', headers: { Accept: 'application/json' } });
    if (!response.ok) return null;
    const body = await response.json();
    return Array.isArray(body.items) ? body.items : null;
  } catch (error) {
    return null; // offline, or "online" with no signal
  }
}

function enhance(fieldset) {
  const items = () => [...fieldset.querySelectorAll('.picker__item')];
  const serverUrl = fieldset.dataset.searchUrl;
  if (!items().length && !serverUrl) return;
  const name = fieldset.dataset.picker;
  const tools = document.createElement('div');
  tools.className = 'picker__tools';
  // Where the page has its own search (it lists only some colleagues), its box is the one
  // typed in. Its button, which posts the form without JavaScript, goes when the server's
  // search replaces it: Enter in any field of the form would press it instead of the form's
  // own button. A page without the server's search (the kiosk: no signed-in session) keeps
  // the button, and Enter in the search box presses it.
  const find = fieldset.querySelector('[data-picker-find]');
  let search = find && find.querySelector('input[type="search"]');
  const status = find && find.querySelector('.picker__status');
  const findButton = find && !serverUrl ? find.querySelector('.picker__find-button') : null;
  if (find) {
    if (serverUrl) find.querySelector('.picker__find-button')?.remove();
  } else {
    const label = document.createElement('label');
    label.className = 'picker__search-label';
    label.htmlFor = `${name}-search`;
    label.textContent = fieldset.dataset.searchLabel;
    search = document.createElement('input');
    search.type = 'search';
    search.id = `${name}-search`;
    search.className = 'picker__search';
    search.autocomplete = 'off';
    search.setAttribute('enterkeyhint', 'search');
    tools.append(label, search);
  }
  const chips = document.createElement('ul');
  chips.className = 'picker__chips';
  chips.setAttribute('aria-label', fieldset.dataset.chosenLabel);
  tools.append(chips);
  const help = find || fieldset.querySelector('.field__help');
  (help || fieldset.querySelector('legend')).after(tools);

  const none = document.createElement('p');
  none.className = 'muted picker__none';
  none.textContent = fieldset.dataset.noMatch;
  none.hidden = true;
  none.setAttribute('role', 'status');
  const more = document.createElement('button');
  more.type = 'button';
  more.className = 'btn btn--ghost btn--block picker__more';
  more.textContent = fieldset.dataset.showAll;
  const lastGroup = fieldset.querySelectorAll('.picker__group');
  (lastGroup.length ? lastGroup[lastGroup.length - 1] : tools).after(none, more);

  let expanded = items().length <= SHOWN;
  // The server's search, for a page that lists only some colleagues. Only the answer to the
  // latest query counts.
  let asked = 0;
  let asking = false;
  let timer = null;

  function filter() {
    const query = search.value;
    let shown = 0;
    let matched = 0;
    for (const item of items()) {
      const input = item.querySelector('input');
      const hit = matches(item.dataset.name, query);
      matched += hit;
      const visible = hit && (expanded || query.trim() !== '' || shown < SHOWN || input.checked);
      if (visible) shown += 1;
      item.hidden = !visible;
    }
    for (const group of fieldset.querySelectorAll('.picker__group')) {
      group.hidden = ![...group.querySelectorAll('.picker__item')].some((item) => !item.hidden);
    }
    none.hidden = matched > 0 || asking;
    more.hidden = expanded || query.trim() !== '';
  }

  function say(text) {
    if (status) status.textContent = text || '';
  }

  async function searchServer() {
    const query = search.value.trim();
    const ticket = ++asked;
    if (query.length < SERVER_MIN) {
      asking = false;
      say('');
      filter();
      return;
    }
    say(fieldset.dataset.searching);
    const found = await askServer(serverUrl, query);
    if (ticket !== asked) return;
    asking = false;
    if (found === null) {
      say(fieldset.dataset.offline);
      filter();
      return;
    }
    const known = new Set(items().map((item) => item.querySelector('input').value));
    const fresh = found.filter((person) => !known.has(String(person.id)));
    if (fresh.length) {
      const list = foundList(fieldset, tools);
      fresh.forEach((person) => list.append(personItem(fieldset, person)));
    }
    say(fresh.length ? fieldset.dataset.foundSome.replace('%(num)s', fresh.length) : fieldset.dataset.foundNone);
    filter();
  }

  function onType() {
    filter();
    if (!serverUrl) return;
    clearTimeout(timer);
    asking = search.value.trim().length >= SERVER_MIN;
    timer = setTimeout(searchServer, SERVER_WAIT);
  }

  function drawChips() {
    chips.replaceChildren();
    for (const item of items()) {
      const input = item.querySelector('input');
      if (!input.checked) continue;
      const chip = document.createElement('li');
      const button = document.createElement('button');
      button.type = 'button';
      button.className = 'chip picker__chip';
      button.textContent = `${item.dataset.name} ×`;
      button.setAttribute('aria-label', fieldset.dataset.removeLabel.replace('%(name)s', item.dataset.name));
      button.addEventListener('click', () => {
        input.checked = false;
        input.dispatchEvent(new Event('change', { bubbles: true }));
        search.focus();
      });
      chip.append(button);
      chips.append(chip);
    }
    chips.hidden = !chips.children.length;
  }

  search.addEventListener('input', onType);
  search.addEventListener('keydown', (event) => {
    if (event.key !== 'Enter') return;
    event.preventDefault(); // never send the form from the search
    if (findButton) findButton.click(); // but a page's own search is asked
  });
  more.addEventListener('click', () => {
    expanded = true;
    filter();
  });
  fieldset.addEventListener('change', () => {
    drawChips();
    filter();
  });
  drawChips();
  filter();
}

/** The recognition form: choosing a recipient loads their moments in place. */
function wireMoments(form) {
  const url = form.dataset.momentsUrl;
  const reload = form.querySelector('[data-picker-reload]');
  if (reload) reload.hidden = true;
  form.addEventListener('change', async (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || input.name !== 'recipient_id' || !input.checked) return;
    try {
      const response = await fetch(`${url}?to=${encodeURIComponent(input.value)}`, {
        credentials: 'same-origin',
        headers: { Accept: 'text/html' },
      });
      if (!response.ok) throw new Error(`HTTP ${response.status}`);
      const template = document.createElement('template');
      template.innerHTML = await response.text();
      const fresh = template.content.querySelector('#recognize-moments');
      const current = form.querySelector('#recognize-moments');
      if (fresh && current) current.replaceWith(fresh);
    } catch (error) {
      // Offline or refused: the page's own button reloads it with the moments instead.
      if (reload) reload.hidden = false;
      console.warn('Kizuki could not load the moments', error);
    }
  });
}

document.querySelectorAll('fieldset[data-picker]').forEach(enhance);
document.querySelectorAll('form[data-moments-url]').forEach(wireMoments);
