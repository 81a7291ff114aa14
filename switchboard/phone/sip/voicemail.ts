// Voicemail: a SUBSCRIBE to message-summary (RFC 3842) per extension (subscriptions.ts); each NOTIFY is
// a count.
import { BodyError, voicemailCount } from './bodies.js';
import type { SipLine } from './line.js';
import { type Subscriptions, subscribeEach } from './subscriptions.js';

export function watchVoicemail(
  line: SipLine,
  extensions: readonly string[],
  counted: (ext: string, count: number) => void,
): Subscriptions {
  const subs = subscribeEach(line, {
    event: 'message-summary',
    accept: 'application/simple-message-summary',
    notified(ext, request) {
      try {
        counted(ext, voicemailCount(request.body));
      } catch (e) {
        if (!(e instanceof BodyError)) throw e;
        line.fault(new Error(`NOTIFY for ${ext}: ${e.message}`));
        return { status: 400, reason: 'Bad Request' };
      }
      return { status: 200, reason: 'OK' };
    },
  });
  for (const ext of extensions) subs.add(ext, false);
  return subs;
}
