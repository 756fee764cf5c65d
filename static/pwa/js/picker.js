// The people picker (templates/_picker.html). Progressive enhancement only: without this
// script the picker is a plain list of checkboxes or radios that posts as it is.
// It adds a search box that filters the list as you type (accents ignored: "Sofia" finds
// "Sofía"), shows the chosen people as removable chips, and keeps the list short (the first
// SHOWN people and "Show all"). On the recognition form, choosing a person loads their
// moments from GET /manage/recognize/moments?to=<id> instead of reloading the page.

const SHOWN = 8;

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

function enhance(fieldset) {
  const items = [...fieldset.querySelectorAll('.picker__item')];
  if (!items.length) return;
  const name = fieldset.dataset.picker;
  const tools = document.createElement('div');
  tools.className = 'picker__tools';
  const label = document.createElement('label');
  label.className = 'picker__search-label';
  label.htmlFor = `${name}-search`;
  label.textContent = fieldset.dataset.searchLabel;
  const search = document.createElement('input');
  search.type = 'search';
  search.id = `${name}-search`;
  search.className = 'picker__search';
  search.autocomplete = 'off';
  search.setAttribute('enterkeyhint', 'search');
  const chips = document.createElement('ul');
  chips.className = 'picker__chips';
  chips.setAttribute('aria-label', fieldset.dataset.chosenLabel);
  tools.append(label, search, chips);
  const help = fieldset.querySelector('.field__help');
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
  lastGroup[lastGroup.length - 1].after(none, more);

  let expanded = items.length <= SHOWN;

  function filter() {
    const query = search.value;
    let shown = 0;
    let matched = 0;
    for (const item of items) {
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
    none.hidden = matched > 0;
    more.hidden = expanded || query.trim() !== '';
  }

  function drawChips() {
    chips.replaceChildren();
    for (const item of items) {
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

  search.addEventListener('input', filter);
  search.addEventListener('keydown', (event) => {
    if (event.key === 'Enter') event.preventDefault(); // never send the form from the search
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
