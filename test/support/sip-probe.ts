// A raw SIP user agent on a loopback UDP port for the tests that need one exact request (a routing
// question to the bridge, a SUBSCRIBE to Kamailio): sends what the test writes, resolves with the first
// final answer, and answers every request it receives (NOTIFY) with 200 while keeping it to read.
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';

export interface SipProbe {
  port: number;
  /** the requests received (NOTIFYs …), as text, in order */
  received: string[];
  /** sends `METHOD uri` with the given headers (Via, Call-ID, CSeq, tags are added); the final answer's text */
  request(method: string, uri: string, to: number, headers?: string[]): Promise<string>;
  close(): void;
}

export async function sipProbe(): Promise<SipProbe> {
  const socket = createSocket('udp4');
  await new Promise<void>((resolve) => socket.bind(0, '127.0.0.1', resolve));
  const port = socket.address().port;
  const received: string[] = [];
  const answers = new Map<string, (text: string) => void>();
  socket.on('message', (data, from) => {
    const text = data.toString();
    if (text.startsWith('SIP/2.0 ')) {
      if (/^SIP\/2\.0 1\d\d/.test(text)) return;
      const callId = /^Call-ID:\s*(\S+)/im.exec(text)?.[1] ?? '';
      answers.get(callId)?.(text);
      return;
    }
    received.push(text);
    const echoed = text.split('\r\n').filter((l) => /^(Via|From|To|Call-ID|CSeq):/i.test(l));
    const ok = ['SIP/2.0 200 OK', ...echoed, 'Content-Length: 0', '', ''].join('\r\n');
    socket.send(ok, from.port, from.address);
  });
  return {
    port,
    received,
    request(method, uri, to, headers = []) {
      const id = randomBytes(6).toString('hex');
      const text = [
        `${method} ${uri} SIP/2.0`,
        `Via: SIP/2.0/UDP 127.0.0.1:${port};branch=z9hG4bK${id};rport`,
        'Max-Forwards: 70',
        `From: <sip:probe@127.0.0.1>;tag=${id}`,
        `To: <${uri}>`,
        `Call-ID: probe-${id}`,
        `CSeq: 1 ${method}`,
        `Contact: <sip:probe@127.0.0.1:${port}>`,
        ...headers,
        'Content-Length: 0',
        '',
        '',
      ].join('\r\n');
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          answers.delete(`probe-${id}`);
          reject(new Error(`${method} ${uri}: no answer from port ${to}`));
        }, 2000);
        answers.set(`probe-${id}`, (answer) => {
          clearTimeout(timer);
          answers.delete(`probe-${id}`);
          resolve(answer);
        });
        socket.send(text, to, '127.0.0.1');
      });
    },
    close: () => socket.close(),
  };
}
