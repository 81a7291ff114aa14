// A small HTTP reverse proxy for tests with two boards behind one address: round-robin per request,
// and a board that refuses the connection is skipped for the next (nginx's proxy_next_upstream error;
// like nginx, a request that may have reached a board is not sent to another: a 502 instead).
// The request body is read first so it can be sent again; responses stream back as they come (SSE too).
import { createServer, type IncomingMessage, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RoundRobinProxy {
  url: string;
  /** requests each upstream answered, in the upstreams' order */
  readonly served: number[];
  close(): Promise<void>;
}

const readAll = async (req: IncomingMessage) => {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
};

export async function startRoundRobinProxy(upstreams: string[]): Promise<RoundRobinProxy> {
  const served = upstreams.map(() => 0);
  let next = 0;
  const server: Server = createServer(async (req, res) => {
    const body = await readAll(req);
    const first = next++ % upstreams.length;
    const attempt = (tried: number) => {
      if (tried === upstreams.length) {
        res.writeHead(502, { 'content-type': 'text/plain' }).end('no board answered');
        return;
      }
      const i = (first + tried) % upstreams.length;
      const target = new URL(req.url ?? '/', upstreams[i]);
      const out = request(target, { method: req.method, headers: req.headers }, (answer) => {
        served[i] = (served[i] ?? 0) + 1;
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      out.on('error', (e: NodeJS.ErrnoException) => {
        if (e.code === 'ECONNREFUSED') attempt(tried + 1);
        else if (res.headersSent) res.destroy();
        else res.writeHead(502, { 'content-type': 'text/plain' }).end(`board failed: ${e.code}`);
      });
      out.end(body);
    };
    attempt(0);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    served,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
