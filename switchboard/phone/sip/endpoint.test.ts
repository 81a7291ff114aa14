import { describe, expect, it } from 'vitest';
import { openEndpoint } from './endpoint.js';

describe('SIP endpoint', () => {
  it('opens while the server name does not resolve (DNS not up yet at boot): requests fail, nothing is heard', async () => {
    const errors: string[] = [];
    const endpoint = await openEndpoint({
      host: '127.0.0.1',
      server: { host: 'pbx.invalid', port: 5060 },
      onRequest: () => ({ status: 200, reason: 'OK' }),
      onBadDatagram: (e) => errors.push(e.message),
      timeoutMs: 300,
    });
    try {
      await expect(endpoint.request('OPTIONS', 'sip:pbx.invalid', [])).rejects.toThrow(/no answer in 300 ms/);
    } finally {
      await endpoint.close();
    }
  });
});
