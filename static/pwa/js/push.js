// "Notifications on this device" on /me: subscribe this browser to Web Push through the
// service worker's pushManager and tell the server (POST/DELETE /api/v1/push-subscriptions).
// The page's block carries the server's key and digests of this person's subscribed
// endpoints, so a shared browser subscribed for someone else shows as "off" here.

import { meta } from './strings.js';

const WORKER_WAIT_MS = 5000;

function elements(box) {
  return {
    states: [...box.querySelectorAll('[data-push-state]')],
    problem: box.querySelector('[data-push-problem]'),
    on: box.querySelector('[data-push-on]'),
    off: box.querySelector('[data-push-off]'),
  };
}

/** Show one state message (and the button that fits it); `problem` is the server's reason. */
function show(ui, state, problem = '') {
  ui.states.forEach((node) => {
    node.hidden = node.dataset.pushState !== state;
  });
  ui.problem.textContent = problem;
  ui.problem.hidden = !problem;
  ui.on.hidden = !['off', 'error'].includes(state);
  ui.off.hidden = state !== 'on';
}

function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window && window.isSecureContext;
}

/** The service worker registration, or null when none becomes ready in time. */
async function registration() {
  const timeout = new Promise((resolve) => setTimeout(() => resolve(null), WORKER_WAIT_MS));
  return Promise.race([navigator.serviceWorker.ready, timeout]);
}

function keyBytes(base64url) {
  const base64 = base64url.replace(/-/g, '+').replace(/_/g, '/').padEnd(Math.ceil(base64url.length / 4) * 4, '=');
  return Uint8Array.from(atob(base64), (char) => char.charCodeAt(0));
}

function sameKey(subscription, key) {
  const current = subscription.options?.applicationServerKey;
  if (!current) return true; // the browser does not tell: assume it is ours
  const a = new Uint8Array(current);
  return a.length === key.length && a.every((byte, i) => byte === key[i]);
}

async function digest(endpoint) {
  const hash = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(endpoint));
  return [...new Uint8Array(hash)].map((byte) => byte.toString(16).padStart(2, '0')).join('').slice(0, 32);
}

async function callApi(box, method, body) {
  const response = await fetch(box.dataset.pushApi, {
    method,
    credentials: 'same-origin',
    redirect: 'manual',
    headers: { 'Content-Type': 'application/json', Accept: 'application/json', 'X-CSRFToken': meta('csrf-token') || '' },
    body: JSON.stringify(body),
  });
  if (response.ok) return '';
  const problem = await response.json().catch(() => ({}));
  if (response.status === 409 && problem.errors?.endpoint) return SOMEONE_ELSES;
  return problem.detail || problem.title || String(response.status);
}

// The server never hands a browser's subscription from one person to another: on a shared
// phone the browser makes a fresh one (the old endpoint dies with it).
const SOMEONE_ELSES = 'someone-elses';

async function turnOn(box, ui, key) {
  const permission = await Notification.requestPermission();
  if (permission !== 'granted') return show(ui, permission === 'denied' ? 'denied' : 'off');
  const worker = await registration();
  if (!worker) return show(ui, 'unsupported');
  let subscription = await worker.pushManager.getSubscription();
  if (subscription && !sameKey(subscription, key)) {
    await subscription.unsubscribe(); // made with the server's old key: it can never work
    subscription = null;
  }
  const options = { userVisibleOnly: true, applicationServerKey: key };
  subscription = subscription || (await worker.pushManager.subscribe(options));
  let problem = await callApi(box, 'POST', subscription.toJSON());
  if (problem === SOMEONE_ELSES) {
    await subscription.unsubscribe();
    subscription = await worker.pushManager.subscribe(options);
    problem = await callApi(box, 'POST', subscription.toJSON());
  }
  return problem ? show(ui, 'error', problem) : show(ui, 'on');
}

async function turnOff(box, ui) {
  const worker = await registration();
  const subscription = worker && (await worker.pushManager.getSubscription());
  if (subscription) {
    // Not ours on the server (404) is fine: this browser stops receiving either way.
    await callApi(box, 'DELETE', { endpoint: subscription.endpoint });
    await subscription.unsubscribe();
  }
  show(ui, 'off');
}

/** The state of this browser for the signed-in person. */
async function currentState(box, key) {
  if (Notification.permission === 'denied') return 'denied';
  const worker = await registration();
  if (!worker) return 'unsupported';
  const subscription = await worker.pushManager.getSubscription();
  if (!subscription || !sameKey(subscription, key)) return 'off';
  const mine = (box.dataset.pushMine || '').split(' ');
  return mine.includes(await digest(subscription.endpoint)) ? 'on' : 'off';
}

function wire(button, box, ui, action) {
  button.addEventListener('click', async () => {
    button.disabled = true;
    try {
      await action();
    } catch (error) {
      show(ui, 'error');
      console.warn('Kizuki push', error);
    } finally {
      button.disabled = false;
    }
  });
}

export async function initPush() {
  const box = document.querySelector('[data-push]');
  if (!box) return;
  const ui = elements(box);
  if (!supported()) return show(ui, 'unsupported');
  const key = keyBytes(box.dataset.pushKey);
  show(ui, 'checking');
  wire(ui.on, box, ui, () => turnOn(box, ui, key));
  wire(ui.off, box, ui, () => turnOff(box, ui));
  try {
    show(ui, await currentState(box, key));
  } catch (error) {
    show(ui, 'error');
    console.warn('Kizuki push', error);
  }
}

initPush();
