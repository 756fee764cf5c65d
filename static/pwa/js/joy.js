// Moments of joy. The server decides what happened and renders it in [data-joy]
// (templates/game/_joy.html, webapp/game/joy.py); this module only animates it: points that
// count up, a level-up sheet (a modal dialog), a badge reveal. Quick (under 1.5 s), skipped
// by any key or tap, and under prefers-reduced-motion only a fade: no movement, no counting.

const COUNT_MS = 700;

const reducedMotion = () => window.matchMedia('(prefers-reduced-motion: reduce)').matches;

/** Animate the events on this page; returns the level-up dialog if one opened. */
export function initJoy(root = document) {
  const events = [...root.querySelectorAll('[data-joy-kind]')];
  if (!events.length) return null;
  const stops = [];
  for (const event of events) event.classList.add('joy--play');
  for (const count of root.querySelectorAll('[data-joy-count]')) stops.push(countUp(count));
  const skip = () => {
    for (const stop of stops) stop();
    for (const event of events) event.classList.add('joy--done');
    window.removeEventListener('keydown', skip, true);
    window.removeEventListener('pointerdown', skip, true);
  };
  window.addEventListener('keydown', skip, true);
  window.addEventListener('pointerdown', skip, true);
  window.setTimeout(skip, 1500);
  const sheet = root.querySelector('[data-joy-kind="level"]');
  return sheet ? openSheet(sheet) : null;
}

/** Count a number up from 0 to its value; returns a function that jumps to the end. */
function countUp(element) {
  const target = Number(element.textContent) || 0;
  if (reducedMotion() || target <= 0) return () => {};
  let frame = 0;
  const start = performance.now();
  const step = (now) => {
    const share = Math.min(1, (now - start) / COUNT_MS);
    element.textContent = String(Math.round(target * (1 - (1 - share) ** 3)));
    frame = share < 1 ? requestAnimationFrame(step) : 0;
  };
  element.textContent = '0';
  frame = requestAnimationFrame(step);
  return () => {
    cancelAnimationFrame(frame);
    element.textContent = String(target);
  };
}

/** Show the level-up as a modal sheet: focus inside, closed by its button, Escape or a tap
 * outside, focus back where it was. Without showModal the section stays in the page. */
function openSheet(section) {
  const dialog = document.createElement('dialog');
  if (typeof dialog.showModal !== 'function') return null;
  dialog.className = 'joy-dialog';
  const title = section.querySelector('h2');
  if (title?.id) dialog.setAttribute('aria-labelledby', title.id);
  const before = document.activeElement;
  section.replaceWith(dialog);
  dialog.append(section);
  section.removeAttribute('aria-labelledby');
  const button = section.querySelector('[data-joy-close]');
  button.hidden = false;
  button.addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (event) => {
    if (event.target === dialog) dialog.close();
  });
  dialog.addEventListener('close', () => {
    dialog.remove();
    returnFocus(before);
  });
  dialog.showModal();
  button.focus();
  return dialog;
}

/** Focus goes back where it was; opened on page load (nothing focused), to the page's main
 * content, made focusable for this (a screen reader then reads on from the page). */
function returnFocus(before) {
  if (before && before !== document.body && before.isConnected) {
    before.focus({ preventScroll: true });
    return;
  }
  const main = document.getElementById('main');
  if (!main) return;
  if (!main.hasAttribute('tabindex')) main.setAttribute('tabindex', '-1');
  main.focus({ preventScroll: true });
}
