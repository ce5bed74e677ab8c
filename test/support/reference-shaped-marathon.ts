/**
 * A Marathon server on loopback answering `GET /v2/leader` from the hand-written, reference-shaped responses in
 * test/fixtures/marathon (shapes from reference/marathon-api/endpoints.json). Like Marathon with
 * --http_credentials, it wants HTTP basic (`operator:<TEST_MARATHON_PASSWORD>`) on every request.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { MARATHON_HTTP_USER } from '../../lib/model';
import { basicAuthPrincipal, LoopbackServer, startLoopbackServer, UNAUTHORIZED } from './loopback-http';

export const TEST_MARATHON_PASSWORD = 'testMarathonHttpPassword';

const read = (name: string) => JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'marathon', name), 'utf8'));

export class ReferenceShapedMarathon {
  /** `host:port` of the leader this server names; undefined answers 404 as Marathon does without one. */
  leader?: string;
  /** Requests refused for want of valid credentials. */
  unauthorized = 0;

  private constructor(private readonly server: LoopbackServer) {}

  static async start(leader?: string): Promise<ReferenceShapedMarathon> {
    let marathon: ReferenceShapedMarathon | undefined;
    const server = await startLoopbackServer((request) => {
      if (!basicAuthPrincipal(request, (user) => (user === MARATHON_HTTP_USER ? TEST_MARATHON_PASSWORD : undefined))) {
        marathon!.unauthorized += 1;
        return { ...UNAUTHORIZED, body: '{"message":"Unauthorized"}' };
      }
      if (request.method !== 'GET' || request.url !== '/v2/leader') return { status: 404, body: { message: 'Not found' } };
      return marathon!.leader === undefined ? { status: 404, body: read('no-leader.json') } : { status: 200, body: { ...read('leader.json'), leader: marathon!.leader } };
    });
    marathon = new ReferenceShapedMarathon(server);
    marathon.leader = leader;
    return marathon;
  }

  get address(): string {
    return this.server.address;
  }

  close(): Promise<void> {
    return this.server.close();
  }
}
