import { request } from 'node:http';
import { connect } from 'node:net';
import { HttpAnswer, HttpCredentials, Transport } from './transport';

export interface DirectTransportOptions {
  /** Per probe. @default 5000 */
  readonly timeoutMs?: number;
  /**
   * Where an address really is, e.g. a private address mapped to a loopback server in tests.
   * @default - the address itself
   */
  readonly route?: (host: string, port: number) => { host: string; port: number };
}

/** Straight TCP and HTTP from this machine: inside the VPC, or to loopback stand-ins in tests. */
export class DirectTransport implements Transport {
  private readonly timeoutMs: number;
  private readonly route: (host: string, port: number) => { host: string; port: number };

  constructor(options: DirectTransportOptions = {}) {
    this.timeoutMs = options.timeoutMs ?? 5_000;
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
        socket.destroy();
        resolve(value);
      };
      socket.setTimeout(this.timeoutMs, () => finish(answer));
      socket.on('connect', () => socket.end(word));
      socket.on('data', (chunk) => (answer += chunk.toString('utf8')));
      socket.on('error', () => finish(''));
      socket.on('close', () => finish(answer));
    });
  }

  httpGet(host: string, port: number, path: string, credentials?: HttpCredentials): Promise<HttpAnswer | undefined> {
    const target = this.route(host, port);
    const auth = credentials && `${credentials.user}:${credentials.password}`;
    return new Promise((resolve) => {
      const req = request({ host: target.host, port: target.port, path, method: 'GET', timeout: this.timeoutMs, auth }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        res.on('error', () => resolve(undefined));
      });
      req.on('timeout', () => req.destroy());
      req.on('error', () => resolve(undefined));
      req.end();
    });
  }

  async close(): Promise<void> {}
}
