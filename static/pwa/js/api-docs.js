// API reference: a filter box over the operations. Without JavaScript the page shows them all.
const box = document.querySelector('[data-api-filter]');
const input = box && box.querySelector('input');

if (box && input) {
  box.hidden = false;
  const entries = [...document.querySelectorAll('[data-api-entry]')];
  input.addEventListener('input', () => {
    const words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    for (const entry of entries) {
      const text = entry.dataset.apiEntry.toLowerCase();
      entry.hidden = !words.every((word) => text.includes(word));
    }
  });
}
