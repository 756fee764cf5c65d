// Sending the offline queue. One sender at a time across tabs and the service worker (the
// Web Lock "kizuki-sync"; a flag in this page where locks are missing). Each entry carries its
// client id, so the server stores it exactly once however often it is sent.

import { listEntries, putEntry, removeEntry } from './offline-queue.js';

const ENDPOINTS = { moment: '/api/v1/moments', kudos: '/api/v1/kudos' };
const RETRY_STATUSES = [401, 408, 429];
let runningHere = false;

/** Send every pending entry of `userId`; resolves to {sent, rejected, retry}. */
export async function syncQueue(userId, csrf) {
  const run = () => sendPending(userId, csrf);
  if (navigator.locks) return navigator.locks.request('kizuki-sync', run);
  if (runningHere) return { sent: 0, rejected: 0, retry: true };
  runningHere = true;
  try {
    return await run();
  } finally {
    runningHere = false;
  }
}

async function sendPending(userId, csrf) {
  const outcome = { sent: 0, rejected: 0, retry: false };
  // Read inside the lock: whoever held it before may have sent these already.
  const entries = (await listEntries(userId)).filter((entry) => entry.status !== 'rejected');
  for (const entry of entries) {
    const result = await send(entry, csrf);
    if (result.state === 'done') {
      await removeEntry(entry.client_id);
      outcome.sent += 1;
    } else if (result.state === 'rejected') {
      await putEntry({ ...entry, status: 'rejected', reason: result.reason });
      outcome.rejected += 1;
    } else {
      outcome.retry = true;
      break; // the connection is gone again: keep the order, try later
    }
  }
  return outcome;
}

/** POST one entry to the API: done (201 new, 200 repeat), rejected (4xx problem) or retry. */
export async function send(entry, csrf) {
  let response;
  try {
    response = await fetch(ENDPOINTS[entry.type], {
      method: 'POST',
      credentials: 'same-origin',
      // A redirect means "signed out" (to the login page): never mistake it for success.
      redirect: 'manual',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': csrf || '' },
      body: JSON.stringify(entry.payload),
    });
  } catch {
    return { state: 'retry' };
  }
  const isJson = (response.headers.get('Content-Type') || '').includes('json');
  if ((response.status === 200 || response.status === 201) && isJson) return { state: 'done' };
  if (response.status >= 400 && response.status < 500 && isJson && !RETRY_STATUSES.includes(response.status)) {
    const problem = await response.json().catch(() => ({}));
    // A stale CSRF token is our problem, not the entry's: keep it for the next page load.
    if (!/csrf/i.test(problem.title || '')) return { state: 'rejected', reason: problemReason(problem) };
  }
  return { state: 'retry' };
}

/** The human reason in a problem document: its field errors, else its detail or title. */
export function problemReason(problem) {
  const messages = [];
  const collect = (value) => {
    if (Array.isArray(value)) value.forEach(collect);
    else if (value && typeof value === 'object') Object.values(value).forEach(collect);
    else if (value) messages.push(String(value));
  };
  collect(problem.errors);
  if (problem.detail && !messages.length) messages.push(problem.detail);
  return messages.join(' ') || problem.title || '';
}
