// The jittered back-off: its delays stay in their bounds (property), and a real client against a port
// nobody listens on tries again at growing intervals, which fails if mqtt.js's private reconnect timer
// (that backOff re-arms) changes shape. A broker setting listing a cluster's nodes: each try goes to
// the next node.
import { createServer, type Server } from 'node:net';
import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import { backoffDelay, brokerUrls, createClient } from './client.js';

describe('reconnect back-off', () => {
  it('draws each delay from the upper half of min·2^attempt, capped at max', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 5000 }),
        fc.integer({ min: 1, max: 100 }),
        fc.nat(60),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (minMs, factor, attempt, random) => {
          const maxMs = minMs * factor;
          const upper = Math.min(maxMs, minMs * 2 ** attempt);
          const delay = backoffDelay({ minMs, maxMs }, attempt, random);
          expect(delay).toBeGreaterThanOrEqual(Math.floor(upper / 2));
          expect(delay).toBeLessThanOrEqual(upper);
        },
      ),
    );
  });

  it('a client against a dead port tries again ever later', async () => {
    const port = await new Promise<number>((resolve) => {
      const server = createServer();
      server.listen(0, '127.0.0.1', () => {
        const address = server.address();
        server.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
      });
    });
    const client = createClient({
      url: `mqtt://127.0.0.1:${port}`,
      clientId: 'backoff-test',
      reconnectMs: { minMs: 40, maxMs: 640 },
    });
    client.on('error', () => {});
    const tries: number[] = [];
    await new Promise<void>((resolve) => {
      client.on('reconnect', () => {
        tries.push(performance.now());
        if (tries.length === 5) resolve();
      });
    });
    client.end(true);
    const gaps = tries.slice(1).map((t, i) => t - (tries[i] as number));
    // try n waits at least 40·2^n / 2 ms (a fixed 40 ms period would give 40, 40, 40, 40)
    gaps.forEach((gap, i) => {
      expect(gap).toBeGreaterThanOrEqual(20 * 2 ** (i + 1) - 5);
    });
  });
});

describe("a cluster's nodes in one broker setting", () => {
  it('reads one URL or several comma-separated, and refuses a WebSocket among several', () => {
    expect(brokerUrls('mqtt://127.0.0.1:1883').map(String)).toEqual(['mqtt://127.0.0.1:1883']);
    expect(brokerUrls('mqtt://a:1, mqtts://b:2').map((u) => `${u.hostname}:${u.port}`)).toEqual([
      'a:1',
      'b:2',
    ]);
    expect(() => brokerUrls('mqtt://a:1,')).toThrow(/"" is not a broker URL/);
    expect(() => brokerUrls('mqtt://a:1,ws://b:2')).toThrow(/must all be mqtt:\/\//);
  });

  it('each connection try goes to the next node, the first listed first', async () => {
    // two "nodes" that accept a TCP connection and drop it at once: the client must alternate
    const hits: string[] = [];
    const node = (name: string) =>
      new Promise<{ server: Server; port: number }>((resolve) => {
        const server = createServer((socket) => {
          hits.push(name);
          socket.destroy();
        });
        server.listen(0, '127.0.0.1', () => {
          const address = server.address();
          resolve({ server, port: typeof address === 'object' && address ? address.port : 0 });
        });
      });
    const [a, b] = [await node('a'), await node('b')];
    const client = createClient({
      url: `mqtt://127.0.0.1:${a.port},mqtt://127.0.0.1:${b.port}`,
      clientId: 'rotation-test',
      reconnectMs: 10,
    });
    client.on('error', () => {});
    await vi.waitFor(() => expect(hits.length).toBeGreaterThanOrEqual(4), { timeout: 5000 });
    client.end(true);
    a.server.close();
    b.server.close();
    expect(hits.slice(0, 4)).toEqual(['a', 'b', 'a', 'b']);
  });
});
