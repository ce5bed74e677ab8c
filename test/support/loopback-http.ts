import { createServer, IncomingMessage } from 'node:http';

export interface Reply {
  readonly status: number;
  readonly headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  readonly body?: unknown;
}

export type Handler = (request: IncomingMessage, body: string) => Reply;

export interface LoopbackServer {
  readonly host: string;
  readonly port: number;
  /** `host:port` */
  readonly address: string;
  close(): Promise<void>;
}

/** An HTTP server on 127.0.0.1 and a port the kernel picks, answering with `handler`. */
export function startLoopbackServer(handler: Handler): Promise<LoopbackServer> {
  const server = createServer((request, response) => {
    let body = '';
    request.on('data', (chunk) => (body += chunk));
    request.on('end', () => {
      let reply: Reply;
      try {
        reply = handler(request, body);
      } catch (error) {
        reply = { status: 500, body: String(error) };
      }
      const text = reply.body === undefined ? '' : typeof reply.body === 'string' ? reply.body : JSON.stringify(reply.body);
      const type = typeof reply.body === 'object' ? { 'Content-Type': 'application/json' } : {};
      response.writeHead(reply.status, { ...type, ...reply.headers });
      response.end(text);
    });
  });
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as { port: number };
      resolve({
        host: '127.0.0.1',
        port,
        address: `127.0.0.1:${port}`,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

/** A loopback port that nothing listens on: connections to it are refused at once. */
export async function closedPort(): Promise<string> {
  const server = await startLoopbackServer(() => ({ status: 200 }));
  await server.close();
  return server.address;
}
