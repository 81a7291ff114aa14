// A phone system the test drives: its listener is the bridge's, and it keeps the referrals it is given.
import type { PhoneListener, PhoneSystem, Referral } from '../../switchboard/phone/port.js';

export function scriptedPhone(): PhoneSystem & { listener: () => PhoneListener; referrals: Referral[] } {
  let listener: PhoneListener | undefined;
  const referrals: Referral[] = [];
  return {
    system: 'sip',
    referrals,
    listener: () => {
      if (!listener) throw new Error('phone bridge not open');
      return listener;
    },
    async open(l) {
      listener = l;
    },
    referralChanged: (r) => referrals.push(r),
    async close() {},
  };
}
