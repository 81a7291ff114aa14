// SIP over UDP (wire.ts): one socket, every datagram a message; answers go back to where a request came
// from.
import { createSocket } from 'node:dgram';
import type { Receive, Wire } from './wire.js';

export async function datagramWire(
  local: { host: string; port: number },
  server: { host: string; port: number },
  receive: Receive,
  onError: (error: Error) => void,
): Promise<Wire> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    socket.bind(local.port, local.host, () => {
      socket.off('error', reject);
      resolve();
    });
  });
  const bound = { host: local.host, port: socket.address().port };
  socket.on('error', onError);
  socket.on('message', (data, from) =>
    receive(data.toString('utf8'), from, (text) => socket.send(text, from.port, from.address)),
  );
  return {
    via: 'UDP',
    reliable: false,
    local: () => bound,
    ready: async () => {},
    send: (text) => socket.send(text, server.port, server.host),
    close: () => new Promise<void>((resolve) => socket.close(() => resolve())),
  };
}
