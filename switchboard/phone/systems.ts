// The phone systems `hanvisa phone` can bridge, each under the config field of its name
// (`"sip": {…}`, `"webhook": {…}`). A new one is a folder beside sip/ and webhook/ (its adapter behind
// port.ts and a system.ts with its settings) and one line here; config.ts builds the file's check from
// this list.
import { sipSystem } from './sip/system.js';
import { teamsSystem } from './teams/system.js';
import { trioSystem } from './trio/system.js';
import { webhookSystem } from './webhook/system.js';

export const PHONE_SYSTEMS = [sipSystem, webhookSystem, trioSystem, teamsSystem] as const;
