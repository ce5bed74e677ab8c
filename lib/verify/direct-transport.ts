import { request } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { connect } from 'node:net';
import { checkServerIdentity } from 'node:tls';
import { HttpAnswer, HttpCredentials, HttpsTrust, Transport } from './transport';

/** Far above any answer the checks read (a 2,000-agent /master/slaves is a few MiB); more is refused, not held. */
export const MAX_ANSWER_BYTES = 16 * 1024 * 1024;

export interface DirectTransportOptions {
  /** Per probe, from connecting to the last byte: a node that trickles its answer is cut off too. @default 5000 */
  readonly timeoutMs?: number;
  /** An answer longer than this is no answer. @default MAX_ANSWER_BYTES */
  readonly maxAnswerBytes?: number;
  /**
   * Where an address really is, e.g. a private address mapped to a loopback server in tests.
   * @default - the address itself
   */
  readonly route?: (host: string, port: number) => { host: string; port: number };
}

/** Straight TCP and HTTP from this machine: inside the VPC, or to loopback stand-ins in tests. */
export class DirectTransport implements Transport {
  private readonly timeoutMs: number;
  private readonly maxAnswerBytes: number;
  private readonly route: (host: string, port: number) => { host: string; port: number };

  constructor(options: DirectTransportOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
    this.maxAnswerBytes = options.maxAnswerBytes ?? MAX_ANSWER_BYTES;
    this.route = options.route ?? ((host, port) => ({ host, port }));
  }

  fourLetterWord(host: string, port: number, word: string): Promise<string> {
    const target = this.route(host, port);
    return new Promise((resolve) => {
      let answer = '';
      let settled = false;
      const socket = connect(target);
      const finish = (value: string) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        socket.destroy();
        resolve(value);
      };
      const deadline = setTimeout(() => finish(answer), this.timeoutMs);
      socket.on('connect', () => socket.end(word));
      socket.on('data', (chunk) => {
        answer += chunk.toString('utf8');
        if (answer.length > this.maxAnswerBytes) finish('');
      });
      socket.on('error', () => finish(''));
      socket.on('close', () => finish(answer));
    });
  }

  httpGet(host: string, port: number, path: string, credentials?: HttpCredentials, https?: HttpsTrust): Promise<HttpAnswer | undefined> {
    const target = this.route(host, port);
    const auth = credentials && `${credentials.user}:${credentials.password}`;
    return new Promise((resolve) => {
      let settled = false;
      const finish = (answer: HttpAnswer | undefined) => {
        if (settled) return;
        settled = true;
        clearTimeout(deadline);
        req.destroy();
        resolve(answer);
      };
      // Garbage, a close mid-answer, a trickle past the deadline or a huge body: no answer, never a hang.
      // The certificate must name the address asked for, wherever `route` sends the connection.
      const tls = https && {
        ca: https.caPem,
        ...(https.client && { cert: https.client.certificatePem, key: https.client.keyPem }),
        servername: '',
        checkServerIdentity: (_: string, cert: Parameters<typeof checkServerIdentity>[1]) => checkServerIdentity(host, cert),
      };
      const send = tls ? httpsRequest : request;
      const req = send({ host: target.host, port: target.port, path, method: 'GET', auth, ...tls }, (res) => {
        const chunks: Buffer[] = [];
        let size = 0;
        res.on('data', (chunk: Buffer) => {
          size += chunk.length;
          if (size > this.maxAnswerBytes) finish(undefined);
          else chunks.push(chunk);
        });
        res.on('end', () => finish(res.complete ? { status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') } : undefined));
        res.on('aborted', () => finish(undefined));
        res.on('error', () => finish(undefined));
        res.on('close', () => finish(undefined));
      });
      const deadline = setTimeout(() => finish(undefined), this.timeoutMs);
      req.on('error', () => finish(undefined));
      req.end();
    });
  }

  async close(): Promise<void> {}
}
