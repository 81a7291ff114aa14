// Managers told (Högsby; SAMSA §4.3/§6: the manager organises phone cover): when a department's alarm
// starts (rules/departments.ts: nobody known staffing it in phone hours, holidays closed, or a
// must-answer function with nobody available), each of its contacts in the notifier file (the manager, the on-call person) is
// told by e-mail and SMS, once per episode. The episode ends when someone is available again or phone
// hours end; the state file keeps a running one across restarts, so a restart does not tell twice.
// Checked on every referral and directory change and once a minute (phone hours start and end by time).
import { type Feature, listening } from '../../../events/feature.js';
import { departmentAlarm } from '../../../rules/departments.js';
import { personalHoursAllow } from '../../../rules/phone-hours.js';
import type { NotifyContext } from '../context.js';
import { alarmLetters } from '../letters.js';

/** Someone to tell: a person of the directory by extension, or an address and number of its own. */
export type Contact = { ext: string } | { name?: string; email?: string; mobile?: string };

const MINUTE = 60_000;

export function managersFeature(
  ctx: NotifyContext,
  contacts: Readonly<Record<string, readonly Contact[]>>,
): Feature {
  const { directory, state, clock, log } = ctx;
  let timer: unknown;
  let settled = false;

  const addresses = (c: Contact) => {
    const person = 'ext' in c ? directory.people.get(c.ext) : undefined;
    return 'ext' in c
      ? { email: person?.email, mobile: person?.mobile }
      : { email: c.email, mobile: c.mobile };
  };

  const tell = async (departmentId: string, since: number) => {
    const department = directory.departments.get(departmentId);
    const policy = directory.policy();
    const letters = alarmLetters({
      department: department?.name ?? departmentId,
      since: new Date(since),
      language: directory.language(),
      timeZone: policy.timeZone,
    });
    for (const contact of contacts[departmentId] ?? []) {
      const to = addresses(contact);
      for (const channel of ['email', 'sms'] as const) {
        const address = channel === 'email' ? to.email : to.mobile;
        const mailer = ctx.mailers[channel];
        if (!address || !mailer) continue;
        try {
          await mailer.send({ ...letters[channel], to: address });
          log.info('manager told: department unstaffed', { department: departmentId, channel });
        } catch (e) {
          log.warn('manager not told', { department: departmentId, channel, error: (e as Error).message });
        }
      }
    }
  };

  const check = () => {
    const now = clock.now();
    const policy = directory.policy();
    // a holiday closes phone hours; someone in outside their own phone hours does not staff it (SAMSA §7)
    const calendar = { timeZone: policy.timeZone, holidays: policy.holidays };
    // one pass over the people for every watched department: this runs on each referral change
    const tallies = new Map(Object.keys(contacts).map((d) => [d, { known: 0, staffed: 0 }]));
    for (const [ext, person] of directory.people) {
      const tally = tallies.get(person.department);
      const p = tally && directory.presences.get(ext);
      if (!tally || !p) continue;
      tally.known++;
      if (p.status === 'available' && personalHoursAllow(person.phoneHours, now, calendar)) tally.staffed++;
    }
    for (const [departmentId, tally] of tallies) {
      const department = directory.departments.get(departmentId);
      if (!department) continue;
      const { alarm } = departmentAlarm(department, tally, now, calendar);
      const running = state.alarm(departmentId);
      if (alarm && running === undefined) {
        state.setAlarm(departmentId, now);
        void tell(departmentId, now);
      } else if (!alarm && running !== undefined) state.setAlarm(departmentId, undefined);
    }
  };

  const tick = () => {
    check();
    timer = clock.setTimeout(tick, MINUTE - (clock.now() % MINUTE));
  };

  return listening(
    ctx.session.bus,
    {
      presence: () => settled && check(),
      'directory-person': () => settled && check(),
      'directory-department': () => settled && check(),
      settled: () => {
        if (settled) return check();
        settled = true;
        tick();
      },
    },
    () => clock.clearTimeout(timer),
  );
}
