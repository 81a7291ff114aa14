// The recorder's broker account (protocol/acl.ts RECORDER_READS) reads exactly the kinds it records:
// one more and it reads what it has no use for (the boards' logouts), one less and it records nothing
// of that kind while the broker says nothing.
import { describe, expect, it } from 'vitest';
import { RECORDER_READS } from '../../protocol/index.js';
import { RECORDED_KINDS } from './recorded-events.js';

describe("the recorder's kinds", () => {
  it('are the kinds its account may read', () => {
    expect([...RECORDER_READS].sort()).toEqual([...RECORDED_KINDS, 'call-event'].sort());
  });
});
