import { createServer, IncomingMessage, Server } from 'node:http';

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
  return listenOnLoopback(server).then(({ port, close }) => ({ host: '127.0.0.1', port, address: `127.0.0.1:${port}`, close }));
}

/**
 * `server` listening on 127.0.0.1 at a port the kernel picks; `close` also ends the connections
 * that clients keep open, so it never waits on them.
 */
export function listenOnLoopback(server: Server): Promise<{ readonly port: number; close(): Promise<void> }> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ host: '127.0.0.1', port: 0 }, () => {
      const { port } = server.address() as { port: number };
      resolve({
        port,
        close: () =>
          new Promise((done) => {
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

/** The principal of a request's HTTP basic `Authorization` when its secret is `secretOf(principal)`. */
export function basicAuthPrincipal(request: IncomingMessage, secretOf: (principal: string) => string | undefined): string | undefined {
  const match = /^Basic (\S+)$/.exec(request.headers.authorization ?? '');
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  const principal = decoded.slice(0, colon);
  const secret = secretOf(principal);
  return colon > 0 && secret !== undefined && decoded.slice(colon + 1) === secret ? principal : undefined;
}

/** What a server with HTTP basic answers a request without valid credentials. */
export const UNAUTHORIZED: Reply = { status: 401, headers: { 'WWW-Authenticate': 'Basic realm="test"' } };
