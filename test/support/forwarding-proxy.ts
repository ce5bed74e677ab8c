import { createServer, request as httpRequest } from 'node:http';
import { listenOnLoopback } from './loopback-http';

export interface ForwardingProxy {
  /** `http://127.0.0.1:<port>`: where a client is pointed before the upstream exists. */
  readonly endpoint: string;
  /** The Action of every request forwarded (`Action=` of a query API's body), in order; other requests are not listed. */
  readonly actions: readonly string[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy that streams each request to the endpoint `upstream()` names when the
 * request arrives (502 when it names none yet). For a client whose endpoint is fixed at its start
 * (a reattached provider's environment) while the server it must reach starts later, at a port
 * the kernel picks.
 */
export function forwardingProxy(upstream: () => string | undefined): Promise<ForwardingProxy> {
  const actions: string[] = [];
  const server = createServer((incoming, outgoing) => {
    const to = upstream();
    if (to === undefined) {
      outgoing.writeHead(502);
      outgoing.end('no upstream yet');
      return;
    }
    const target = new URL(to);
    const onward = httpRequest({ host: target.hostname, port: target.port, method: incoming.method, path: incoming.url, headers: { ...incoming.headers, host: target.host } }, (answer) => {
      outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(outgoing);
    });
    onward.on('error', (error) => {
      if (!outgoing.headersSent) outgoing.writeHead(502);
      outgoing.end(String(error));
    });
    // The query APIs (EC2, Auto Scaling, ELB, IAM, STS) name the action in a short form body; the
    // head of it is read on its way through.
    let head = '';
    incoming.on('data', (chunk: Buffer) => {
      if (head.length < 512) head += chunk.toString('latin1', 0, 512);
    });
    incoming.on('end', () => {
      const action = /(?:^|&)Action=(\w+)/.exec(head)?.[1];
      if (action !== undefined) actions.push(action);
    });
    incoming.pipe(onward);
  });
  return listenOnLoopback(server).then(({ port, close }) => ({ endpoint: `http://127.0.0.1:${port}`, actions, close }));
}
