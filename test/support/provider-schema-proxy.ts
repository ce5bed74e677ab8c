/**
 * A loopback pass-through between Terraform and a reattached provider (plain HTTP/2 gRPC on a
 * unix socket, as go-plugin serves a debug-mode provider) that answers the provider's schema
 * call with the schema cut down to the types a test's configuration uses
 * (provider-schema-pruning.ts), fetched from the provider once and then served from memory.
 * Every other call, the streams of go-plugin included, passes through byte for byte.
 *
 * Run as its own process (`node <bundle> <provider socket> <listen socket> <types, comma-separated>`)
 * so that a test that runs Terraform synchronously does not block it; prints `listening` once
 * it serves.
 */
import { connect as connectHttp2, constants, createServer, IncomingHttpHeaders, OutgoingHttpHeaders, ServerHttp2Stream } from 'node:http2';
import { connect as connectSocket } from 'node:net';
import { pruneGrpcBody, SCHEMA_METHODS } from './provider-schema-pruning';

/** The schema answer is megabytes: wide windows let it come in a few round trips. */
const WINDOW = 32 * 1024 * 1024;
const SESSION_MEMORY_MB = 256;

interface CachedAnswer {
  readonly headers: OutgoingHttpHeaders;
  readonly body: Buffer;
  readonly trailers: OutgoingHttpHeaders;
}

export function serveProviderSchemaProxy(providerSocket: string, listenSocket: string, keep: ReadonlySet<string>, onListening: () => void): void {
  const upstream = connectHttp2('http://localhost', {
    createConnection: () => connectSocket(providerSocket),
    settings: { initialWindowSize: WINDOW },
    maxSessionMemory: SESSION_MEMORY_MB,
  });
  upstream.on('connect', () => upstream.setLocalWindowSize(WINDOW));
  // The provider gone (stopped by the test) ends the proxy too.
  upstream.on('close', () => process.exit(0));
  upstream.on('error', () => process.exit(1));
  const cached = new Map<string, CachedAnswer>();

  const server = createServer({ settings: { initialWindowSize: WINDOW }, maxSessionMemory: SESSION_MEMORY_MB });
  server.on('session', (session) => session.on('connect', () => session.setLocalWindowSize(WINDOW)));
  server.on('stream', (stream: ServerHttp2Stream, headers: IncomingHttpHeaders) => {
    stream.on('error', () => undefined);
    const method = String(headers[':path']);
    const known = cached.get(method);
    if (known !== undefined) {
      stream.resume();
      answer(stream, known);
      return;
    }
    const forwarded: OutgoingHttpHeaders = {};
    for (const [name, value] of Object.entries(headers)) if (!name.startsWith(':') || name === ':path' || name === ':method') forwarded[name] = value;
    const call = upstream.request(forwarded);
    call.on('error', () => undefined);
    let trailers: OutgoingHttpHeaders = {};
    call.on('trailers', (received) => (trailers = withoutPseudo(received)));
    stream.on('close', () => {
      if (!call.closed) call.close(constants.NGHTTP2_CANCEL);
    });
    call.on('close', () => {
      if (!stream.closed && !stream.headersSent) stream.close(call.rstCode || constants.NGHTTP2_INTERNAL_ERROR);
    });
    call.on('response', (received) => {
      if (stream.closed || stream.destroyed) return;
      const status = received[':status'] ?? 200;
      const responseHeaders = { ':status': status, ...withoutPseudo(received) };
      // A trailers-only answer (an error): its status is in the headers and the stream ends with them.
      if (received['grpc-status'] !== undefined) {
        stream.respond(responseHeaders, { endStream: true });
        return;
      }
      if (SCHEMA_METHODS.includes(method)) {
        const chunks: Buffer[] = [];
        call.on('data', (chunk: Buffer) => chunks.push(chunk));
        call.on('end', () => {
          const pruned = { headers: responseHeaders, body: pruneGrpcBody(Buffer.concat(chunks), keep), trailers };
          if (trailers['grpc-status'] === '0') cached.set(method, pruned);
          if (!stream.closed) answer(stream, pruned);
        });
        return;
      }
      stream.respond(responseHeaders, { waitForTrailers: true });
      stream.on('wantTrailers', () => stream.sendTrailers(trailers));
      call.pipe(stream);
    });
    stream.pipe(call);
  });
  server.listen(listenSocket, onListening);
}

function answer(stream: ServerHttp2Stream, cached: CachedAnswer): void {
  stream.respond(cached.headers, { waitForTrailers: true });
  stream.on('wantTrailers', () => stream.sendTrailers(cached.trailers));
  stream.end(cached.body);
}

function withoutPseudo(headers: IncomingHttpHeaders): OutgoingHttpHeaders {
  return Object.fromEntries(Object.entries(headers).filter(([name]) => !name.startsWith(':')));
}

if (require.main === module) {
  const [providerSocket, listenSocket, types] = process.argv.slice(2);
  serveProviderSchemaProxy(providerSocket, listenSocket, new Set(types.split(',').filter((t) => t !== '')), () => process.stdout.write('listening\n'));
}
