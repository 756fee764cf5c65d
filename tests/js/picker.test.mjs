// The people picker's search (issue 12 §6): names match as you type, accents and case ignored.

import assert from 'node:assert/strict';
import test from 'node:test';

globalThis.document = { querySelectorAll: () => [] }; // picker.js enhances the page on import
const { fold, matches } = await import('../../static/pwa/js/picker.js');

test('accents and case are ignored', () => {
  assert.equal(fold('  Sofía ÖZTÜRK '), 'sofia ozturk');
  assert.ok(matches('Sofía Romano', 'Sofia'));
  assert.ok(matches('Sofia Romano', 'sofía'));
});

test('every word typed must appear in the name', () => {
  assert.ok(matches('Jesse van Dam', 'jes dam'));
  assert.ok(!matches('Jesse van Dam', 'jes bakker'));
  assert.ok(!matches('Tom Bakker', 'aisha'));
});

test('an empty search matches everyone', () => {
  assert.ok(matches('Tom Bakker', '   '));
});
