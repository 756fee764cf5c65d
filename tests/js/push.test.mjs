// The /me opt-in when the server refuses to hand over a browser's subscription (issue 9, §2):
// a shared browser subscribed for someone else gets a fresh subscription of its own (the old
// endpoint dies with it) and is sent again; any other refusal is shown, nothing retried.
// Browsers cannot subscribe without their real push service, so the browser's pieces
// (Notification, the service worker's pushManager, fetch) are stand-ins here.

import assert from 'node:assert/strict';
import test from 'node:test';

globalThis.document = { querySelector: () => null }; // push.js looks for its box on import
const { turnOn } = await import('../../static/pwa/js/push.js');

function subscription(endpoint) {
  return {
    endpoint,
    unsubscribed: false,
    async unsubscribe() {
      this.unsubscribed = true;
      return true;
    },
    toJSON() {
      return { endpoint, keys: { p256dh: 'p', auth: 'a' } };
    },
  };
}

function browser(current, fresh, answers) {
  const posted = [];
  globalThis.Notification = { requestPermission: async () => 'granted' };
  const pushManager = {
    getSubscription: async () => current,
    subscribe: async () => fresh,
  };
  Object.defineProperty(globalThis, 'navigator', {
    value: { serviceWorker: { ready: Promise.resolve({ pushManager }) } },
    configurable: true,
  });
  globalThis.fetch = async (url, init) => {
    posted.push(JSON.parse(init.body).endpoint);
    const [status, body] = answers.shift();
    return { ok: status < 300, status, json: async () => body };
  };
  return posted;
}

function page() {
  const node = (state) => ({ dataset: { pushState: state }, hidden: true });
  const box = { dataset: { pushApi: '/api/v1/push-subscriptions' } };
  const ui = {
    states: ['on', 'off', 'error'].map(node),
    problem: { textContent: '', hidden: true },
    on: { hidden: false },
    off: { hidden: true },
  };
  const shown = () => ui.states.find((n) => !n.hidden)?.dataset.pushState;
  return { box, ui, shown };
}

test("a browser subscribed for someone else gets a fresh subscription, never theirs", async () => {
  const theirs = subscription('https://push.example.com/theirs');
  const fresh = subscription('https://push.example.com/fresh');
  const posted = browser(theirs, fresh, [
    [409, { errors: { endpoint: ['This browser is subscribed for someone else.'] } }],
    [201, {}],
  ]);
  const { box, ui, shown } = page();
  await turnOn(box, ui, new Uint8Array([1]));
  assert.deepEqual(posted, [theirs.endpoint, fresh.endpoint]);
  assert.equal(theirs.unsubscribed, true);
  assert.equal(shown(), 'on');
});

test('any other refusal is shown and nothing is resubscribed', async () => {
  const mine = subscription('https://push.example.com/mine');
  const posted = browser(mine, subscription('https://push.example.com/other'), [
    [409, { detail: 'Notifications to devices are turned off on this server.' }],
  ]);
  const { box, ui, shown } = page();
  await turnOn(box, ui, new Uint8Array([1]));
  assert.deepEqual(posted, [mine.endpoint]);
  assert.equal(mine.unsubscribed, false);
  assert.equal(shown(), 'error');
  assert.equal(ui.problem.textContent, 'Notifications to devices are turned off on this server.');
});
