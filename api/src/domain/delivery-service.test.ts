import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChannelDelivery } from '@todo/contracts';
import { mergeDeliveries } from './delivery-service.js';

const at = (s: number) => new Date(Date.UTC(2026, 10, 29, 12, 0, s)).toISOString();

describe('mergeDeliveries: what the inbox row says of each channel', () => {
  const pending: ChannelDelivery[] = [
    { channel: 'push', status: 'pending', reason: null, at: at(0) },
    { channel: 'email', status: 'pending', reason: null, at: at(0) },
  ];

  it('replaces each reported channel and keeps the others, in channel order', () => {
    const merged = mergeDeliveries(pending, [
      { channel: 'email', status: 'sent', reason: null, at: at(1) },
    ]);
    assert.deepEqual(
      merged.map((d) => [d.channel, d.status]),
      [
        ['email', 'sent'],
        ['push', 'pending'],
      ],
    );
  });

  it('a late, older report never undoes a newer one', () => {
    const sent = mergeDeliveries(pending, [
      { channel: 'email', status: 'sent', reason: null, at: at(5) },
    ]);
    const late = mergeDeliveries(sent, [
      { channel: 'email', status: 'failed', reason: '451 try later', at: at(2) },
    ]);
    assert.equal(late.find((d) => d.channel === 'email')?.status, 'sent');
  });
});
