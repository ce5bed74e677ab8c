/**
 * Stand-in Mesos masters for the scheduler endpoint, on loopback: no Mesos binary exists here.
 * What each answers, and when, is reference/mesos/scheduler-endpoint.json (read from apache/mesos
 * 1.11.0): 401 without principal `jenkins`'s credentials, 307 to the leader from the others (503
 * when no one leads), 405 from the leader for anything but POST; to a POST without Mesos-Stream-Id
 * (a SUBSCRIBE) a chunked RecordIO stream that opens with SUBSCRIBED and goes on with HEARTBEATs
 * until the client goes away, and to one with the id of a stream it opened (any other call) 202,
 * else 400. Bodies are not read: the plugin's client speaks protobuf, and the proxy passes them on.
 * With `tls`, each serves HTTPS only and requires a client certificate, as libprocess SSL does.
 */
import { readFileSync } from 'node:fs';
import { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { AddressInfo } from 'node:net';
import { TLSSocket } from 'node:tls';
import { join } from 'node:path';
import { startStub } from './loopback-stubs';

interface Answer {
  readonly status: number;
  readonly headers?: Record<string, string>;
}

const REFERENCE = JSON.parse(readFileSync(join(__dirname, '..', '..', 'reference', 'mesos', 'scheduler-endpoint.json'), 'utf8')) as {
  path: string;
  answers: (Answer & { when: string })[];
  subscription: { firstEvent: Record<string, unknown>; heartbeat: Record<string, unknown> };
};
const answer = (status: number): Answer => REFERENCE.answers.find((a) => a.status === status)!;
export const SCHEDULER_PATH = REFERENCE.path;

/** One request as a master saw it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly authorization?: string;
  /** Over TLS: the subject CN of the client's certificate. */
  readonly clientCertificate?: string;
}

/**
 * HTTPS as libprocess SSL serves it with tls.mesos: each master's own certificate and key, and a
 * client certificate required that chains to `ca`.
 */
export interface StandInTls {
  readonly ca: string;
  readonly certificates: readonly { readonly certificatePem: string; readonly keyPem: string }[];
}

export interface StandInMaster {
  readonly name: string;
  /** `127.0.0.1:port` */
  readonly endpoint: string;
  /** Every request, health checks included. */
  readonly seen: SeenRequest[];
}

export interface StandInMasters {
  readonly masters: readonly StandInMaster[];
  /**
   * Makes master `index` the leader (undefined: no one leads). The old leader's subscriptions
   * stay open, as a master's do until it learns it lost the lead; ending them is the proxy's job.
   */
  lead(index: number | undefined): void;
  close(): Promise<void>;
}

/** RecordIO: the record's length in bytes, a newline, the record. */
const record = (event: Record<string, unknown>) => {
  const text = JSON.stringify(event);
  return `${Buffer.byteLength(text)}\n${text}`;
};

/**
 * `count` masters that accept only `login` (`principal:secret`) and send a heartbeat every
 * `heartbeatMs` (Mesos: 15 s; short here so a test sees several).
 */
export async function startStandInMasters(count: number, login: string, heartbeatMs = 200, tls?: StandInTls): Promise<StandInMasters> {
  let leader: number | undefined = 0;
  const expected = `Basic ${Buffer.from(login).toString('base64')}`;
  const masters: StandInMaster[] = [];
  /** The stream ids each master handed out. */
  const opened = new Map<number, Set<string>>();
  const servers: Server[] = [];

  const send = (response: ServerResponse, { status, headers }: Answer, fill: Record<string, string> = {}) => {
    const filled = Object.fromEntries(Object.entries(headers ?? {}).map(([k, v]) => [k, v.replace(/<([a-z ]+)>/g, (m, key) => fill[key] ?? m)]));
    response.writeHead(status, filled).end();
  };

  const handle = (index: number, request: IncomingMessage, response: ServerResponse) => {
    const peer = request.socket instanceof TLSSocket ? request.socket.getPeerCertificate().subject?.CN : undefined;
    masters[index].seen.push({ method: request.method!, url: request.url!, authorization: request.headers.authorization, ...(peer === undefined ? {} : { clientCertificate: String(peer) }) });
    request.resume();
    if (request.headers.authorization !== expected) return send(response, answer(401));
    if (leader !== index) {
      if (leader === undefined) return send(response, answer(503));
      const [ip, port] = masters[leader].endpoint.split(':');
      return send(response, answer(307), { 'leader ip': ip, 'leader port': port });
    }
    if (request.method !== 'POST') return send(response, answer(405));
    const call = request.headers['mesos-stream-id'];
    const own = opened.get(index) ?? new Set<string>();
    opened.set(index, own);
    if (call !== undefined) return send(response, answer(own.has(String(call)) ? 202 : 400));
    const streamId = `stream-${masters[index].name}-${own.size + 1}`;
    own.add(streamId);
    const ok = answer(200);
    response.writeHead(200, { ...ok.headers, 'Mesos-Stream-Id': streamId, 'Transfer-Encoding': 'chunked' });
    response.write(record(REFERENCE.subscription.firstEvent));
    const timer = setInterval(() => response.write(record(REFERENCE.subscription.heartbeat)), heartbeatMs);
    response.on('close', () => clearInterval(timer));
  };

  for (let index = 0; index < count; index++) {
    const { server, port } = tls === undefined ? await startStub((request, response) => handle(index, request, response)) : await startTlsStub(tls, index, (request, response) => handle(index, request, response));
    servers.push(server);
    masters.push({ name: `master-${index + 1}`, endpoint: `127.0.0.1:${port}`, seen: [] });
  }

  return {
    masters,
    lead(index) {
      leader = index;
    },
    close: async () => {
      for (const server of servers) {
        server.closeAllConnections();
        await new Promise((resolve) => server.close(resolve));
      }
    },
  };
}

async function startTlsStub(tls: StandInTls, index: number, handle: (req: IncomingMessage, res: ServerResponse) => void): Promise<{ server: Server; port: number }> {
  const { certificatePem, keyPem } = tls.certificates[index];
  const server = createHttpsServer({ cert: certificatePem, key: keyPem, ca: tls.ca, requestCert: true, rejectUnauthorized: true, minVersion: 'TLSv1.2' }, handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server: server as unknown as Server, port: (server.address() as AddressInfo).port };
}
