import assert from 'node:assert/strict';
import { it } from 'node:test';
import { deliverJobId, eventJobId, nextInstanceJobId, reminderJobId } from './job-ids.js';

it('job ids are deterministic, colon-free and never integers', () => {
  assert.equal(eventJobId('completed', 'a:b/c'), 'completed-a_b_c');
  const at = new Date('2026-01-01T00:00:00Z');
  assert.equal(reminderJobId('t1', at), `reminder-t1-${at.getTime()}`);
  assert.equal(reminderJobId('t1', at), reminderJobId('t1', new Date(at)));
  assert.equal(deliverJobId('b:1'), 'deliver-b_1');
  assert.equal(nextInstanceJobId('t1', 3), 'next-instance-t1-v3');
});
