import { createServer, request as httpRequest } from 'node:http';
import { listenOnLoopback } from './loopback-http';

export interface GarblingProxy {
  /** Where Terraform is pointed instead of the emulator. */
  readonly endpoint: string;
  /** The Action of every request that passed, in order (`Action=` of the EC2 query body, else the path). */
  readonly actions: readonly string[];
  /** How many answers were garbled. */
  garbled(): number;
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of the emulator that lets it carry out the first request whose
 * body matches `victim`, then answers that request with a garbled error (status 500, a cut-off
 * XML body), as a busy moto was seen to: the resource exists, and the client believes the call
 * failed. Every other request passes through unchanged.
 */
export function garblingProxy(upstream: string, victim: RegExp): Promise<GarblingProxy> {
  const target = new URL(upstream);
  const actions: string[] = [];
  let garbled = 0;
  const server = createServer((incoming, outgoing) => {
    const chunks: Buffer[] = [];
    incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
    incoming.on('end', () => {
      const body = Buffer.concat(chunks);
      const text = body.toString('utf8');
      actions.push(/(?:^|&)Action=(\w+)/.exec(text)?.[1] ?? incoming.url ?? '');
      const forwarded = httpRequest(
        { host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } },
        (answer) => {
          const answerChunks: Buffer[] = [];
          answer.on('data', (chunk: Buffer) => answerChunks.push(chunk));
          answer.on('end', () => {
            if (garbled === 0 && victim.test(text)) {
              garbled += 1;
              outgoing.writeHead(500, { 'content-type': 'text/xml' });
              outgoing.end('<?xml version="1.0" encoding="UTF-8"?>\n<Response><Errors><Err');
              return;
            }
            outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
            outgoing.end(Buffer.concat(answerChunks));
          });
        },
      );
      forwarded.on('error', (error) => {
        outgoing.writeHead(502);
        outgoing.end(String(error));
      });
      forwarded.end(body);
    });
  });
  return listenOnLoopback(server).then(({ port, close }) => ({ endpoint: `http://127.0.0.1:${port}`, actions, garbled: () => garbled, close }));
}
