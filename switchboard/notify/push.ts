// Web Push to the staff page (issue 27: staff without a panel are nudged on their phone): the
// payload encrypted for the browser's subscription (RFC 8291, aes128gcm) and the request signed with
// the notifier's VAPID key (RFC 8292), both by the `web-push` library; the request itself goes out with
// fetch. A push endpoint must be https (every browser's push service is), except on loopback, where the
// tests' push service listens. An endpoint the push service says is gone (404, 410) is dropped.
import webpush from 'web-push';
import { z } from 'zod';

export const PushSubscription = z.strictObject({
  endpoint: z.url({ protocol: /^https?$/ }).max(2000),
  expirationTime: z.number().nullable().optional(),
  keys: z.strictObject({ p256dh: z.string().min(20).max(200), auth: z.string().min(8).max(100) }),
});
export type PushSubscription = z.infer<typeof PushSubscription>;

const LOOPBACK = new Set(['127.0.0.1', '[::1]', 'localhost']);

/** Whether the notifier will post to this endpoint: https, or http on loopback only. */
export function pushEndpointAllowed(endpoint: string): boolean {
  const url = new URL(endpoint);
  return url.protocol === 'https:' || (url.protocol === 'http:' && LOOPBACK.has(url.hostname));
}

export interface VapidKeys {
  publicKey: string;
  privateKey: string;
  /** mailto: or https: where the push service can reach the sender's operator */
  subject: string;
}

export type PushOutcome = 'sent' | 'gone' | 'failed';

export interface PushSender {
  publicKey: string;
  /** sends one notification; `ttlSeconds`: how long the push service keeps it for an offline phone */
  send(
    subscription: PushSubscription,
    payload: unknown,
    ttlSeconds: number,
  ): Promise<{ outcome: PushOutcome; status?: number }>;
}

export function pushSender(keys: VapidKeys): PushSender {
  return {
    publicKey: keys.publicKey,
    async send(subscription, payload, ttlSeconds) {
      if (!pushEndpointAllowed(subscription.endpoint)) return { outcome: 'gone' };
      const request = webpush.generateRequestDetails(subscription, JSON.stringify(payload), {
        vapidDetails: keys,
        TTL: ttlSeconds,
        contentEncoding: 'aes128gcm',
        urgency: 'high',
      });
      let res: Response;
      try {
        res = await fetch(request.endpoint, {
          method: request.method,
          headers: request.headers as Record<string, string>,
          body: new Uint8Array(request.body),
          signal: AbortSignal.timeout(15_000),
        });
      } catch {
        return { outcome: 'failed' };
      }
      await res.body?.cancel();
      if (res.ok) return { outcome: 'sent', status: res.status };
      return { outcome: res.status === 404 || res.status === 410 ? 'gone' : 'failed', status: res.status };
    },
  };
}
