// The network between the SIP adapter and Kamailio, for tests: a UDP relay on loopback that passes
// every datagram both ways (one upstream socket per client, so the server's answers find their way
// back), keeps what passed (an eavesdropper's view: Call-IDs, tags) and can be cut and mended, as a
// switch or a firewall drops packets while both ends keep running.
import { createSocket, type Socket } from 'node:dgram';

export interface UdpWire {
  host: string;
  port: number;
  /** the datagrams that passed towards the server, as text */
  readonly sent: string[];
  /** drop everything in both directions until mend() */
  cut(): void;
  mend(): void;
  close(): Promise<void>;
}

const bound = (socket: Socket) =>
  new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', () => resolve()));

export async function startUdpWire(server: { host: string; port: number }): Promise<UdpWire> {
  const front = createSocket('udp4');
  await bound(front);
  const upstreams = new Map<string, Promise<Socket>>();
  const sent: string[] = [];
  let open = true;
  front.on('message', async (data, from) => {
    if (!open) return;
    const key = `${from.address}:${from.port}`;
    let up = upstreams.get(key);
    if (!up) {
      const socket = createSocket('udp4');
      socket.on('message', (answer) => {
        if (open) front.send(answer, from.port, from.address);
      });
      up = bound(socket).then(() => socket);
      upstreams.set(key, up);
    }
    sent.push(data.toString('utf8'));
    (await up).send(data, server.port, server.host);
  });
  return {
    host: '127.0.0.1',
    port: front.address().port,
    sent,
    cut: () => {
      open = false;
    },
    mend: () => {
      open = true;
    },
    async close() {
      for (const s of [front, ...(await Promise.all(upstreams.values()))])
        await new Promise<void>((r) => s.close(() => r()));
    },
  };
}
