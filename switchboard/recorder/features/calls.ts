// Hears the phone bridge's call events (call/{queueId}, docs/phone.md) and adds each to the batch,
// keyed by call and phase: the bridge may repeat one, and the store keeps it once.
import { listening } from '../../../events/feature.js';
import type { RecorderContext, RecorderFeature } from '../context.js';
import { callEvent, fromCallMessage } from '../recorded-events.js';

export function callsFeature(ctx: RecorderContext): RecorderFeature {
  return {
    ...listening(ctx.bus, {
      'call-event': ({ message }) =>
        ctx.batch.add(callEvent(message.org, fromCallMessage(message), ctx.ord())),
    }),
    kinds: ['call-event'],
  };
}
