// Invite links: a Copy button where the clipboard can be written, a Share button where the
// phone has the Web Share API, a Print button on the invite sheet. Without JavaScript the
// buttons stay hidden; the link can be selected and the page printed from the browser.

for (const button of document.querySelectorAll('[data-copy]')) {
  const field = document.getElementById(button.dataset.copy);
  if (!field || !navigator.clipboard) continue;
  button.hidden = false;
  button.addEventListener('click', async () => {
    try {
      await navigator.clipboard.writeText(field.value);
      button.textContent = button.dataset.copied;
    } catch {
      field.select();
    }
  });
}

for (const button of document.querySelectorAll('[data-share]')) {
  if (typeof navigator.share !== 'function') continue;
  button.hidden = false;
  button.addEventListener('click', () => {
    const data = {
      title: button.dataset.shareTitle,
      text: button.dataset.shareText,
      url: button.dataset.share,
    };
    // Closing the share sheet rejects: nothing to do then.
    navigator.share(data).catch(() => {});
  });
}

for (const button of document.querySelectorAll('[data-print]')) {
  button.hidden = false;
  button.addEventListener('click', () => window.print());
}
