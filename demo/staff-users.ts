// The demo's staff logins: the staff page (/staff/) needs a person, so the demo's second board, the
// staff's, has a users file of its own (given inline): each person with a virtual desk as `staff`
// (username their first name, the one password printed in the banner), and a team leader or unit head
// (Teamledare, Enhetschef) as their department's `manager`. The operators' board
// stays open access (README, "The two commands").
import { hashPassword, type User } from '../switchboard/auth/index.js';
import type { DEMO_PEOPLE } from '../switchboard/simulator/scenario.js';

/** The demo titles that answer for a department's phone coverage (SAMSA §4.3). */
const MANAGER_TITLES = new Set(['Teamledare', 'Enhetschef']);

/** The password of every demo staff login: a demo on one machine, printed in `npm start`'s banner. */
export const DEMO_STAFF_PASSWORD = 'demo';

type DemoPerson = (typeof DEMO_PEOPLE)[number];

/** The login name of a demo person: their first name in lower case, without accents. */
export const staffUsername = (person: DemoPerson): string =>
  (person.name.split(' ')[0] ?? person.ext)
    .toLowerCase()
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '');

/** One login per person given, all with the demo password (hashed once: the same hash serves each). */
export async function demoStaffUsers(org: string, people: readonly DemoPerson[]): Promise<User[]> {
  const passwordHash = await hashPassword(DEMO_STAFF_PASSWORD);
  return people.map((person) => {
    const leads = MANAGER_TITLES.has(person.title);
    return {
      username: staffUsername(person),
      name: person.name,
      role: leads ? 'manager' : 'staff',
      orgs: [org],
      ext: person.ext,
      ...(leads ? { departments: [person.department] } : {}),
      passwordHash,
    };
  });
}
