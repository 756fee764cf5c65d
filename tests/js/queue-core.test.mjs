// The offline queue's rules (static/pwa/js/queue-core.js), run by Node's own test runner:
// `node --test tests/js/` (tests/js/test_javascript.py runs it inside pytest).

import assert from 'node:assert/strict';
import test from 'node:test';

import '../../static/pwa/js/queue-core.js';

const Queue = globalThis.KizukiQueue;
const ID = '0b6f3a52-3f0e-4c1e-9d59-3f8e1c1e6a11';
const MOMENT = [
  ['cue', 'A guest kept rubbing her hands'],
  ['action', 'Brought her a tea'],
  ['reaction', 'She smiled'],
  ['value_ids', '3'],
  ['value_ids', '5'],
  ['team_id', '2'],
  ['gesture_note', 'A tea'],
];
const KUDOS = [
  ['receiver_ids', '4'],
  ['team_id', ''],
  ['moment_id', ''],
  ['message', 'Thank you for covering the desk'],
  ['value_id', '3'],
];

const moment = (...extra) => Queue.toPayload('moment', ID, [...MOMENT, ...extra]);
const kudos = (fields) => Queue.toPayload('kudos', ID, fields);

// What the server does with the page's gesture cost (webapp/moments/schemas.py): cents, or
// the key of its message. tests/js/test_amounts_agree.py checks many more against Python.
const AMOUNTS = [
  ['2,505', { problem: 'amountFormat' }],
  ['€ 3', { cents: 300 }],
  ['0', { cents: 0 }],
  ['-1', { problem: 'amountRange' }],
  ['', {}],
  ['   ', {}],
  ['2,50', { cents: 250 }],
  ['2.5', { cents: 250 }],
  ['2,500', { cents: 250 }],
  [',5', { cents: 50 }],
  ['3 €', { cents: 300 }],
  ['1000', { cents: 100000 }],
  ['1000,01', { problem: 'amountRange' }],
  ['1.000,50', { problem: 'amountFormat' }],
  ['1e3', { problem: 'amountFormat' }],
  ['abc', { problem: 'amountFormat' }],
  ['3\u0007', { problem: 'controlCharacters' }],
];

for (const [typed, expected] of AMOUNTS) {
  test(`a gesture cost typed as ${JSON.stringify(typed)}`, () => {
    const { payload, problems } = moment(['gesture_cost', typed]);
    assert.equal(payload.gesture_cost_cents, expected.cents);
    assert.equal(problems?.gesture_cost, expected.problem);
  });
}

test('a refused amount is never sent as something else', () => {
  for (const typed of ['2,505', '-1', '1e3']) {
    const entry = Queue.newEntry({
      type: 'moment',
      clientId: ID,
      fields: [...MOMENT, ['gesture_cost', typed]],
      userId: 7,
      returnUrl: '/moments/new',
    });
    assert.equal(entry.status, 'rejected');
    assert.equal('gesture_cost_cents' in entry.payload, false);
  }
});

test('ids are numbers when they are plain digits, else sent as typed for the server to name', () => {
  const { payload } = moment(['colleague_ids', '12'], ['colleague_ids', 'x1'], ['colleague_ids', '']);
  assert.deepEqual(payload.value_ids, [3, 5]);
  assert.equal(payload.team_id, 2);
  assert.deepEqual(payload.colleague_ids, [12, 'x1']);
});

test('texts go as typed: the server trims them, for the page and the API alike', () => {
  const { payload } = Queue.toPayload('moment', ID, [['cue', '  spaced  '], ['action', 'a'], ['reaction', '']]);
  assert.equal(payload.cue, '  spaced  ');
  assert.equal(payload.reaction, '');
  assert.equal('team_id' in payload, false); // missing: the server says it is required
});

test('kudos: blank ids are left out, a checkbox is on when it is sent at all', () => {
  assert.deepEqual(kudos(KUDOS).payload, {
    client_id: ID,
    message: 'Thank you for covering the desk',
    receiver_ids: [4],
    value_id: 3,
    private: false,
  });
  assert.equal(kudos([...KUDOS, ['private', 'y']]).payload.private, true);
});

test('kudos without a value are refused, as the page refuses them', () => {
  const { problems } = kudos(KUDOS.filter(([name]) => name !== 'value_id'));
  assert.deepEqual(problems, { value_id: 'chooseOption' });
});

test('the fields of a posted form leave out the CSRF token, the client id and files', () => {
  const form = new FormData();
  form.append('csrf_token', 'secret');
  form.append('client_id', ID);
  form.append('cue', 'Noticed');
  form.append('photo', new Blob(['x']), 'photo.jpg');
  assert.deepEqual(Queue.fieldsOf(form), [['cue', 'Noticed']]);
});

test('every client id is new', () => {
  const ids = new Set(Array.from({ length: 50 }, () => Queue.newClientId()));
  assert.equal(ids.size, 50);
  for (const id of ids) assert.match(id, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('an entry is kept under its client id and its content', async () => {
  const entry = (clientId, cue) =>
    Queue.newEntry({
      type: 'moment',
      clientId,
      fields: [['cue', cue], ...MOMENT.slice(1)],
      userId: 7,
      returnUrl: '/moments/new',
    });
  const first = await Queue.entryKey(entry(ID, 'One'));
  assert.equal(await Queue.entryKey(entry(ID, 'One')), first, 'the same form twice is one entry');
  assert.notEqual(await Queue.entryKey(entry(ID, 'Two')), first, 'a reused id never overwrites');
  assert.notEqual(await Queue.entryKey(entry(Queue.newClientId(), 'One')), first);
  assert.ok(first.startsWith(`${ID}.`));
});

test("a problem's reason is its field messages, else its detail", () => {
  const conflict = { title: 'Conflict', status: 409, detail: 'x', errors: { client_id: ['Used for another entry.'] } };
  assert.equal(Queue.problemReason(conflict), 'Used for another entry.');
  assert.equal(Queue.problemReason({ title: 'Conflict', detail: 'Your kudos are used up.' }), 'Your kudos are used up.');
  assert.equal(Queue.problemReason({ title: 'Forbidden' }), 'Forbidden');
});
