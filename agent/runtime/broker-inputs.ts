// What the desk has heard from the broker besides its own presence: the org's policy, the phone
// messages (one retained topic each, gathered into one set) and voicemail count for its extension, the
// queues it follows and the colleagues' lines its lamps show. These feed the lamps and the rules; the
// desk never publishes them.
import type { LineState, Message, Mwi, OrgInfo, Queue } from '../../protocol/index.js';
import { MessageBox } from '../../rules/message-box.js';
import { DEFAULT_POLICY, type OrgPolicy, policyFromOrg } from '../../rules/policy.js';
import { type DeskSettings, followed } from './device-settings.js';

export type BrokerInput =
  | Message<'mwi'>
  | Message<'mwi-message'>
  | Message<'voicemail'>
  | Message<'queue'>
  | Message<'line'>
  | Message<'directory-org'>;

export class BrokerInputs {
  /** the org's policy, worked out when its directory-org message comes rather than at every lamp render */
  private orgPolicy: OrgPolicy;
  private currentMwi: Mwi | null = null;
  private box = new MessageBox();
  private currentVoicemail = 0;
  /** when the oldest voicemail came, where the phone system tells (issue 23) */
  private voicemailOldest: string | null = null;
  readonly queues = new Map<string, Queue>();
  readonly lines = new Map<string, LineState>();

  /** `timeZone` from the config file overrides the org's. */
  constructor(private readonly timeZone: string | undefined) {
    this.orgPolicy = this.policyOf(null);
  }

  get mwi(): Mwi | null {
    return this.currentMwi;
  }

  get voicemail(): number {
    return this.currentVoicemail;
  }

  get voicemailSince(): string | null {
    return this.voicemailOldest;
  }

  policy(): OrgPolicy {
    return this.orgPolicy;
  }

  private policyOf(org: OrgInfo | null): OrgPolicy {
    const p = policyFromOrg(org, DEFAULT_POLICY);
    return this.timeZone ? { ...p, timeZone: this.timeZone } : p;
  }

  /** Takes in a message; false when it is for a queue or a line this desk does not follow. */
  take(m: BrokerInput, settings: DeskSettings): boolean {
    switch (m.kind) {
      case 'mwi-message':
        if (m.ext === settings.ext)
          this.currentMwi = this.box.message(m.ext, m.messageId, m.body?.message ?? null);
        return true;
      case 'mwi':
        // the old single value: desks no longer subscribe to it, but one handed in still counts
        if (m.ext === settings.ext) this.currentMwi = this.box.legacy(m.ext, m.body);
        return true;
      case 'voicemail':
        if (m.ext === settings.ext) {
          this.currentVoicemail = m.body?.count ?? 0;
          this.voicemailOldest = m.body?.oldestSince ?? null;
        }
        return true;
      case 'queue':
        if (!followed(settings).queues.has(m.queueId)) return false;
        if (m.body) this.queues.set(m.queueId, m.body);
        else this.queues.delete(m.queueId);
        return true;
      case 'line':
        if (!followed(settings).lines.has(m.ext)) return false;
        if (m.body) this.lines.set(m.ext, m.body);
        else this.lines.delete(m.ext);
        return true;
      case 'directory-org':
        this.orgPolicy = this.policyOf(m.body);
        return true;
    }
  }

  /** IT changed the settings: drop what the desk no longer follows (another ext's MWI is not ours). */
  follow(settings: DeskSettings, extChanged: boolean): void {
    if (extChanged) {
      this.currentMwi = null;
      this.box = new MessageBox();
      this.currentVoicemail = 0;
      this.voicemailOldest = null;
    }
    const { queues, lines } = followed(settings);
    for (const id of [...this.queues.keys()]) if (!queues.has(id)) this.queues.delete(id);
    for (const ext of [...this.lines.keys()]) if (!lines.has(ext)) this.lines.delete(ext);
  }
}
