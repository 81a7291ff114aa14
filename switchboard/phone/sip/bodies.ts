// The two SIP event bodies the adapter speaks: message-summary (RFC 3842) in, presence as PIDF
// (RFC 3863) with RPID activities (RFC 4480) out. Pure functions.

import { referralNote } from '../note.js';
import type { Referral } from '../port.js';

export class BodyError extends Error {}

/** The new voice messages a message-summary body reports (`Voice-Message: new/old (urgent)`). */
export function voicemailCount(body: string): number {
  if (body.trim() === '') return 0; // a NOTIFY before anyone published: nothing known to wait
  const lines = new Map<string, string>();
  for (const line of body.split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) lines.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const waiting = lines.get('messages-waiting')?.toLowerCase();
  if (waiting !== 'yes' && waiting !== 'no')
    throw new BodyError('message-summary without Messages-Waiting: yes|no');
  const voice = lines.get('voice-message');
  if (voice === undefined) return waiting === 'yes' ? 1 : 0;
  const m = /^(\d{1,6})\/(\d{1,6})(\s*\(\d{1,6}\/\d{1,6}\))?$/.exec(voice);
  if (!m) throw new BodyError(`malformed Voice-Message ${JSON.stringify(voice.slice(0, 40))}`);
  return Number(m[1]);
}

/** What a voicemail server PUBLISHes (and tests send): the body for a count. */
export function messageSummary(count: number, account: string): string {
  return `Messages-Waiting: ${count > 0 ? 'yes' : 'no'}\r\nMessage-Account: ${account}\r\nVoice-Message: ${count}/0 (0/0)\r\n`;
}

/** RFC 4480 activities for our reason codes; a private reason (sick) shows only as `away`. */
const ACTIVITY: Record<string, string> = {
  lunch: 'meal',
  meeting: 'meeting',
  course: 'meeting',
  trip: 'travel',
  vacation: 'vacation',
};

const xml = (s: string) =>
  s.replace(
    /[<>&"']/g,
    (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string,
  );

/** The person's presence document: open when available; closed with activity, note and `until` when away. */
export function pidf(entity: string, referral: Referral): string {
  const p = referral.presence;
  const away = p.status === 'away';
  const activity = away ? (referral.private ? 'away' : (ACTIVITY[p.reason ?? ''] ?? 'away')) : undefined;
  const note = away ? referralNote(referral) : undefined;
  const until = p.until ? ` until="${p.until}"` : '';
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<presence xmlns="urn:ietf:params:xml:ns:pidf" xmlns:dm="urn:ietf:params:xml:ns:pidf:data-model" xmlns:rpid="urn:ietf:params:xml:ns:pidf:rpid" entity="${xml(entity)}">`,
    `<tuple id="hanvisa"><status><basic>${away ? 'closed' : 'open'}</basic></status>${note ? `<note>${xml(note)}</note>` : ''}</tuple>`,
    `<dm:person id="p${xml(referral.ext)}">`,
    activity ? `<rpid:activities${until}><rpid:${activity}/></rpid:activities>` : '',
    note ? `<dm:note>${xml(note)}</dm:note>` : '',
    '</dm:person>',
    '</presence>',
  ].join('');
}
