// The dialog event package's body (RFC 4235, application/dialog-info+xml): the calls an extension's
// phone is in, as Kamailio's presence_dialoginfo (fed by pua_dialoginfo) and any PBX that offers
// `Event: dialog` NOTIFY them, and what they mean for the person's line (idle, ringing, in a call).
// Pure functions; parseDialogInfo never throws: the phone system's bad XML is its error to report.
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import type { LineState } from '../../../protocol/index.js';

export type LineStatus = LineState['state'];

/** RFC 4235 §3.7.1: the dialog's state machine, trying → proceeding → early → confirmed → terminated. */
export const DIALOG_STATES = ['trying', 'proceeding', 'early', 'confirmed', 'terminated'] as const;
export type DialogState = (typeof DIALOG_STATES)[number];

export interface DialogEntry {
  /** the notifier's id of the dialog, unique within the document's entity */
  id: string;
  /** the SIP Call-ID of the call, where the notifier tells it (Kamailio does) */
  callId?: string;
  /** initiator: the extension placed the call; recipient: it was called */
  direction?: 'initiator' | 'recipient';
  state: DialogState;
}

export interface DialogInfo {
  /** counts the NOTIFYs of one subscription: an older one arriving late is ignored (§4.1) */
  version: number;
  /** full: these are all the dialogs; partial: only those that changed (§4.1) */
  state: 'full' | 'partial';
  entity: string;
  dialogs: DialogEntry[];
}

export type ParsedDialogInfo = { ok: true; info: DialogInfo } | { ok: false; error: string };

const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  removeNSPrefix: true,
  parseTagValue: false,
  parseAttributeValue: false,
  // a document with one dialog has an array of one, like one with several
  isArray: (name) => name === 'dialog',
});

type Node = Record<string, unknown>;
const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);
const text = (v: unknown): string | undefined =>
  typeof v === 'string'
    ? v.trim()
    : isNode(v) && typeof v['#text'] === 'string'
      ? v['#text'].trim()
      : undefined;

function dialogEntry(node: unknown, index: number): DialogEntry | string {
  if (!isNode(node)) return `dialog ${index + 1} is not an element`;
  const id = node['@id'];
  if (typeof id !== 'string' || id === '') return `dialog ${index + 1} has no id`;
  // Kamailio 5.6 writes "Trying" for the caller's side: read the states regardless of case
  const state = text(node.state)?.toLowerCase();
  if (!DIALOG_STATES.includes(state as DialogState))
    return `dialog ${JSON.stringify(id.slice(0, 40))}: state ${JSON.stringify(state?.slice(0, 20) ?? null)} is none of ${DIALOG_STATES.join(', ')}`;
  const direction = node['@direction'];
  if (direction !== undefined && direction !== 'initiator' && direction !== 'recipient')
    return `dialog ${JSON.stringify(id.slice(0, 40))}: direction ${JSON.stringify(String(direction).slice(0, 20))}`;
  const callId = node['@call-id'];
  return {
    id,
    ...(typeof callId === 'string' && callId !== '' ? { callId } : {}),
    ...(direction ? { direction } : {}),
    state: state as DialogState,
  };
}

export function parseDialogInfo(body: string): ParsedDialogInfo {
  const valid = XMLValidator.validate(body);
  if (valid !== true) return { ok: false, error: `not XML: ${valid.err.msg} (line ${valid.err.line})` };
  let document: unknown;
  try {
    document = parser.parse(body);
  } catch (e) {
    return { ok: false, error: `not XML: ${(e as Error).message}` };
  }
  const root = isNode(document) ? document['dialog-info'] : undefined;
  // an empty <dialog-info/> parses as ''
  const info: Node | undefined = root === '' ? {} : isNode(root) ? root : undefined;
  if (!info) return { ok: false, error: 'no <dialog-info> root element' };
  const version = info['@version'];
  if (typeof version !== 'string' || !/^\d{1,15}$/.test(version))
    return { ok: false, error: `version ${JSON.stringify(version ?? null)} is not a count` };
  const state = info['@state'];
  if (state !== 'full' && state !== 'partial')
    return { ok: false, error: `state ${JSON.stringify(state ?? null)} is neither full nor partial` };
  const entity = info['@entity'];
  if (typeof entity !== 'string' || entity === '') return { ok: false, error: 'no entity' };
  const dialogs: DialogEntry[] = [];
  for (const [index, node] of ((info.dialog as unknown[] | undefined) ?? []).entries()) {
    const entry = dialogEntry(node, index);
    if (typeof entry === 'string') return { ok: false, error: entry };
    dialogs.push(entry);
  }
  return { ok: true, info: { version: Number(version), state, entity, dialogs } };
}

/**
 * The person's line from the dialogs their phone is in: a call in progress (confirmed) wins, then a
 * call ringing at the phone (an incoming one not yet answered), then one the person is placing, which
 * is "in a call" too: they are on the phone and cannot take another.
 */
export function lineOf(dialogs: Iterable<DialogEntry>): LineStatus {
  let ringing = false;
  let dialling = false;
  for (const d of dialogs) {
    if (d.state === 'confirmed') return 'in-call';
    if (d.state === 'terminated') continue;
    // a notifier that leaves out the direction: an unanswered dialog at a watched phone is one that rings
    if (d.direction === 'initiator') dialling = true;
    else ringing = true;
  }
  return ringing ? 'ringing' : dialling ? 'in-call' : 'idle';
}
