import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Display, GENERIC_GREETING } from './display.js';

describe('display', () => {
  it('shows warnings once, clears them, and forgets the customer between sessions', () => {
    const display = new Display('EUR');
    display.show({
      screen: 'shopping',
      greeting: 'Hello, Ana',
      totalCents: 249,
      lastItem: 'Oat milk',
      list: [{ sku: 'SKU-1', done: true }],
    });
    display.warn('battery-swap');
    display.warn('battery-swap');
    display.warn('offline');
    assert.deepEqual(display.view.warnings, ['battery-swap', 'offline']);
    display.clearWarning('battery-swap');
    assert.deepEqual(display.view.warnings, ['offline']);
    display.reset('welcome');
    assert.equal(display.view.greeting, GENERIC_GREETING);
    assert.equal(display.view.totalCents, 0);
    assert.deepEqual(display.view.list, []);
    assert.equal(display.view.lastItem, undefined);
    assert.ok(display.updates >= 5);
  });
});
