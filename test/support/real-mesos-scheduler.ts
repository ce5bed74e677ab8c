/**
 * Test harness: a minimal v1 HTTP scheduler for the real Mesos (real-mesos.ts): subscribes, keeps
 * every event, acknowledges status updates, and sends calls with its stream id. Enough to launch
 * a command task or a task group on an offer and watch what becomes of it.
 */
import { ClientRequest, request } from 'node:http';
import { userInfo } from 'node:os';
import { testMesosSecret } from './recorded-mesos';
import { poll } from './zookeeper-ensemble';

export class SchedulerStream {
  readonly events: any[] = [];
  private frameworkId: any;
  private streamId = '';
  private req?: ClientRequest;

  private constructor(
    private readonly url: string,
    private readonly authorization: string,
  ) {}

  /** Subscribes to the master at `url` as `principal` with `roles`; the tasks run as this process's user. */
  static async subscribe(url: string, principal: string, roles: readonly string[]): Promise<SchedulerStream> {
    const stream = new SchedulerStream(url, `Basic ${Buffer.from(`${principal}:${testMesosSecret(principal)}`).toString('base64')}`);
    await stream.open(roles);
    const subscribed = await stream.next('SUBSCRIBED', 15_000);
    stream.frameworkId = subscribed.subscribed.framework_id;
    return stream;
  }

  private open(roles: readonly string[]): Promise<void> {
    const { hostname, port } = new URL(this.url);
    const frameworkInfo = { user: userInfo().username, name: 'real-mesos-scheduler', roles, capabilities: [{ type: 'MULTI_ROLE' }] };
    return new Promise((resolve, reject) => {
      this.req = request(
        { host: hostname, port: Number(port), method: 'POST', path: '/api/v1/scheduler', headers: { 'Content-Type': 'application/json', Accept: 'application/json', Authorization: this.authorization } },
        (response) => {
          if (response.statusCode !== 200) return reject(new Error(`SUBSCRIBE: HTTP ${response.statusCode}`));
          this.streamId = String(response.headers['mesos-stream-id']);
          let buffer = Buffer.alloc(0);
          response.on('data', (chunk: Buffer) => {
            buffer = Buffer.concat([buffer, chunk]);
            // RecordIO: `<length>\n<record>`, repeated.
            for (let newline = buffer.indexOf(10); newline >= 0; newline = buffer.indexOf(10)) {
              const length = Number(buffer.subarray(0, newline).toString());
              if (buffer.length < newline + 1 + length) break;
              this.receive(JSON.parse(buffer.subarray(newline + 1, newline + 1 + length).toString('utf8')));
              buffer = buffer.subarray(newline + 1 + length);
            }
          });
          resolve();
        },
      );
      this.req.on('error', reject);
      this.req.end(JSON.stringify({ type: 'SUBSCRIBE', subscribe: { framework_info: frameworkInfo } }));
    });
  }

  private receive(event: any): void {
    this.events.push(event);
    const status = event.type === 'UPDATE' ? event.update.status : undefined;
    if (status?.uuid !== undefined) {
      void this.call({ type: 'ACKNOWLEDGE', acknowledge: { agent_id: status.agent_id, task_id: status.task_id, uuid: status.uuid } }).catch(() => undefined);
    }
  }

  /** A scheduler call as this framework; the HTTP status. */
  async call(body: Record<string, unknown>): Promise<number> {
    const response = await fetch(`${this.url}/api/v1/scheduler`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: this.authorization, 'Mesos-Stream-Id': this.streamId },
      body: JSON.stringify({ framework_id: this.frameworkId, ...body }),
      signal: AbortSignal.timeout(10_000),
    });
    await response.text();
    return response.status;
  }

  get id(): any {
    return this.frameworkId;
  }

  /** The first event of `type` after the `skip` first ones of that type, waiting up to `timeoutMs`. */
  next(type: string, timeoutMs: number, skip = 0): Promise<any> {
    return poll(`a ${type} event`, timeoutMs, 200, async () => {
      const found = this.events.filter((e) => e.type === type)[skip];
      return { done: found !== undefined, value: found, describe: `events so far: ${this.events.map((e) => e.type).join(', ')}` };
    });
  }

  /** The states task `taskId` went through, once it reached a terminal one. */
  terminalState(taskId: string, timeoutMs: number): Promise<any[]> {
    const terminal = /^TASK_(FINISHED|FAILED|KILLED|ERROR|LOST|DROPPED|GONE)/;
    return poll(`task ${taskId} to end`, timeoutMs, 200, async () => {
      const updates = this.events.filter((e) => e.type === 'UPDATE' && e.update.status.task_id.value === taskId).map((e) => e.update.status);
      return { done: updates.some((u) => terminal.test(u.state)), value: updates, describe: updates.map((u) => u.state).join(', ') || 'no update' };
    });
  }

  close(): void {
    this.req?.destroy();
  }
}

/** Resources for a task or executor on the unreserved role. */
export function taskResources(cpus: number, mem: number, disk: number): any[] {
  const scalar = (name: string, value: number) => ({ name, type: 'SCALAR', scalar: { value }, allocation_info: { role: '*' } });
  return [scalar('cpus', cpus), scalar('mem', mem), scalar('disk', disk)];
}
