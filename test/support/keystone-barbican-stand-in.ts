/**
 * A STAND-IN for Keystone and Barbican on loopback (a free port chosen at run time): no
 * OpenStack here. It answers only what the project sends, in the response shapes of the
 * OpenStack API reference:
 * - Identity API v3 "Password authentication with scoped authorization" and "Authenticating with
 *   an Application Credential": `POST /v3/auth/tokens`, 201 with `X-Subject-Token` and
 *   `{"token": {"methods", "expires_at", "catalog": [{"type", "name", "endpoints": [{"id",
 *   "interface", "region", "region_id", "url"}]}]}}`; 401 with `{"error": {"code", "message", "title"}}`.
 * - Key Manager API v1 "Secrets": `GET /v1/secrets?name=` (`{"secrets": [{"secret_ref", "name",
 *   "created", "status", "secret_type", "content_types"}], "total"}`), `POST /v1/secrets` (201,
 *   `{"secret_ref"}`), `GET /v1/secrets/{uuid}/payload` (the payload as text/plain),
 *   `DELETE /v1/secrets/{uuid}` (204); 401 without a valid `X-Auth-Token`.
 * It also plays Nova's metadata service when told to (`GET /openstack/latest/meta_data.json`,
 * `{"uuid", "meta": {...}}`, the shape of the config drive's file of the same name).
 * Application credentials' access rules are enforced as Keystone's middleware would (`*` is
 * one path segment, `**` any number; none: no restriction), so a test proves the stack's rules suffice.
 */
import { randomUUID } from 'node:crypto';
import { IncomingMessage } from 'node:http';
import { LoopbackServer, Reply, startLoopbackServer } from './loopback-http';

export interface AccessRule {
  readonly service: string;
  readonly method: string;
  readonly path: string;
}

interface Secret {
  readonly uuid: string;
  readonly name: string;
  readonly payload: string;
  readonly created: string;
}

const REGION = 'RegionOne';
/** Barbican sits under a path, as behind a shared proxy: the clients must not assume the root. */
const BARBICAN_PATH = '/key-manager';

export class KeystoneBarbicanStandIn {
  /** Every request Barbican got, `METHOD /v1/...` (without the query), in order. */
  readonly barbicanRequests: string[] = [];
  readonly secrets = new Map<string, Secret>();
  /** The Keystone answer's status for every authentication, when set (e.g. 401). */
  failAuthWith?: number;
  /** Barbican's answer's status for every request, when set (e.g. 503). */
  failBarbicanWith?: number;
  /** What the metadata service answers; 404 while undefined. */
  metadataServiceAnswer?: object;
  private readonly tokens = new Map<string, { rules?: readonly AccessRule[] }>();
  private readonly applicationCredentials = new Map<string, { secret: string; rules: readonly AccessRule[] }>();
  private readonly users = new Map<string, string>();
  private clock = 0;
  private server?: LoopbackServer;
  private port = 0;

  get authUrl(): string {
    return `http://127.0.0.1:${this.port}/v3`;
  }

  get metadataUrl(): string {
    return `http://127.0.0.1:${this.port}/openstack/latest/meta_data.json`;
  }

  get barbicanUrl(): string {
    return `http://127.0.0.1:${this.port}${BARBICAN_PATH}`;
  }

  addUser(name: string, password: string): void {
    this.users.set(name, password);
  }

  addApplicationCredential(id: string, secret: string, rules: readonly AccessRule[]): void {
    this.applicationCredentials.set(id, { secret, rules });
  }

  /** Stores a secret as someone else would (a hand-made value, a second one of a name). */
  store(name: string, payload: string): string {
    const uuid = randomUUID();
    // Barbican's timestamps; a counter keeps them strictly ordered within a test.
    const created = new Date(Date.UTC(2026, 0, 1, 0, 0, this.clock++)).toISOString().replace('Z', '');
    this.secrets.set(uuid, { uuid, name, payload, created });
    return uuid;
  }

  valuesOf(name: string): string[] {
    return [...this.secrets.values()].filter((s) => s.name === name).map((s) => s.payload);
  }

  async start(): Promise<void> {
    this.server = await startLoopbackServer((request, body) => this.answer(request, body));
    this.port = this.server.port;
  }

  async stop(): Promise<void> {
    await this.server?.close();
  }

  private answer(request: IncomingMessage, body: string): Reply {
    const url = new URL(request.url ?? '/', this.authUrl);
    if (request.method === 'POST' && url.pathname === '/v3/auth/tokens') return this.authenticate(body);
    if (request.method === 'GET' && url.pathname === '/openstack/latest/meta_data.json') {
      return this.metadataServiceAnswer ? json(200, this.metadataServiceAnswer) : json(404, { error: 'no metadata' });
    }
    if (url.pathname.startsWith(`${BARBICAN_PATH}/v1/`)) return this.barbican(request, url, body);
    return json(404, { error: { code: 404, message: `not in this stand-in: ${request.method} ${url.pathname}`, title: 'Not Found' } });
  }

  private authenticate(body: string): Reply {
    const unauthorized = () => json(401, { error: { code: 401, message: 'The request you have made requires authentication.', title: 'Unauthorized' } });
    if (this.failAuthWith !== undefined) return unauthorized();
    const identity = (JSON.parse(body) as { auth: { identity: Record<string, any> } }).auth.identity;
    let rules: readonly AccessRule[] | undefined;
    if (identity.methods[0] === 'password') {
      const { name, password } = identity.password.user;
      if (this.users.get(name) !== password) return unauthorized();
    } else if (identity.methods[0] === 'application_credential') {
      const credential = this.applicationCredentials.get(identity.application_credential.id);
      if (credential === undefined || credential.secret !== identity.application_credential.secret) return unauthorized();
      rules = credential.rules;
    } else return unauthorized();
    const token = `gAAAAA${randomUUID().replace(/-/g, '')}`;
    this.tokens.set(token, { rules });
    const endpoint = (iface: string, url: string) => ({ id: randomUUID(), interface: iface, region: REGION, region_id: REGION, url });
    return json(
      201,
      {
        token: {
          methods: identity.methods,
          expires_at: '2099-01-01T00:00:00.000000Z',
          catalog: [
            { type: 'identity', name: 'keystone', endpoints: [endpoint('public', this.authUrl)] },
            {
              type: 'key-manager',
              name: 'barbican',
              endpoints: [endpoint('public', this.barbicanUrl), endpoint('internal', 'http://127.0.0.1:9/unused')],
            },
          ],
        },
      },
      { 'X-Subject-Token': token },
    );
  }

  private barbican(request: IncomingMessage, url: URL, body: string): Reply {
    const path = url.pathname.slice(BARBICAN_PATH.length);
    const method = request.method ?? 'GET';
    this.barbicanRequests.push(`${method} ${path}`);
    if (this.failBarbicanWith !== undefined) return json(this.failBarbicanWith, { code: this.failBarbicanWith, title: 'Service Unavailable', description: 'stand-in told to fail' });
    const session = this.tokens.get(String(request.headers['x-auth-token'] ?? ''));
    if (session === undefined) return json(401, { code: 401, title: 'Unauthorized', description: 'Authentication required' });
    if (session.rules !== undefined && session.rules.length > 0 && !session.rules.some((r) => r.service === 'key-manager' && r.method === method && pathMatches(r.path, path))) {
      return json(401, { code: 401, title: 'Unauthorized', description: 'The request you have made requires authentication.' });
    }
    const uuid = path.match(/^\/v1\/secrets\/([0-9a-f-]+)(\/payload)?$/);
    if (method === 'GET' && path === '/v1/secrets') {
      const name = url.searchParams.get('name');
      const found = [...this.secrets.values()].filter((s) => name === null || s.name === name);
      return json(200, {
        secrets: found.map((s) => ({
          secret_ref: `${this.barbicanUrl}/v1/secrets/${s.uuid}`,
          name: s.name,
          created: s.created,
          updated: s.created,
          status: 'ACTIVE',
          secret_type: 'opaque',
          content_types: { default: 'text/plain' },
        })),
        total: found.length,
      });
    }
    if (method === 'POST' && path === '/v1/secrets') {
      const { name, payload, payload_content_type } = JSON.parse(body) as { name: string; payload: string; payload_content_type: string };
      if (payload_content_type !== 'text/plain') return json(400, { code: 400, title: 'Bad Request', description: 'payload_content_type' });
      return json(201, { secret_ref: `${this.barbicanUrl}/v1/secrets/${this.store(name, payload)}` });
    }
    const secret = uuid && this.secrets.get(uuid[1]);
    if (!secret) return json(404, { code: 404, title: 'Not Found', description: 'Secret not found.' });
    if (method === 'GET' && uuid[2]) return { status: 200, headers: { 'Content-Type': 'text/plain' }, body: secret.payload };
    if (method === 'DELETE' && !uuid[2]) {
      this.secrets.delete(secret.uuid);
      return { status: 204 };
    }
    return json(405, { code: 405, title: 'Method Not Allowed', description: method });
  }
}

/** A JSON answer (startLoopbackServer sends an object body as JSON, with its content type). */
const json = (status: number, body: object, headers: Record<string, string> = {}): Reply => ({ status, body, headers });

/** Keystone's access rule path syntax: `*` matches one segment, `**` any number of them. */
export function pathMatches(rule: string, path: string): boolean {
  const pattern = rule
    .split('/')
    .map((segment) => (segment === '**' ? '.*' : segment === '*' ? '[^/]+' : segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')))
    .join('/');
  return new RegExp(`^${pattern}$`).test(path);
}
