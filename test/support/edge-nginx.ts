/**
 * Test harness: a private nginx layout for cloud-init/scripts/edge-routes.py under a test's folder:
 * nginx.conf (its pid, logs and temp paths inside the folder) including conf.d/*.conf, where the
 * generator writes its file (`--out`) and nginx -t checks it (`--nginx-conf`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { REPO } from './cloud-init-fixtures';

export const EDGE_ROUTES_SCRIPT = join(REPO, 'cloud-init/scripts/edge-routes.py');

/** Writes `dir/nginx.conf` (foreground, one worker) and makes conf.d/ and tmp/; the paths to pass the generator. */
export function edgeNginxLayout(dir: string): { conf: string; out: string } {
  for (const sub of ['conf.d', 'tmp']) mkdirSync(join(dir, sub), { recursive: true });
  const conf = join(dir, 'nginx.conf');
  const temp = ['client_body', 'proxy', 'fastcgi', 'uwsgi', 'scgi'].map((t) => `${t}_temp_path ${dir}/tmp/${t};`).join(' ');
  writeFileSync(
    conf,
    `daemon off;\nworker_processes 1;\npid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents { worker_connections 64; }\n` +
      `http { access_log off; ${temp} include ${dir}/conf.d/*.conf; }\n`,
  );
  return { conf, out: join(dir, 'conf.d', 'edge.conf') };
}

/** GET through the edge's nginx on loopback, as the load balancer forwarding for `forwardedFor`. */
export function getThroughEdge(port: number, path: string, forwardedFor: string, authorization?: string): Promise<{ status: number; body: string; location?: string }> {
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { 'X-Forwarded-For': forwardedFor, ...(authorization ? { Authorization: authorization } : {}) };
    const req = request({ host: '127.0.0.1', port, path, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, location: res.headers.location }));
    });
    req.on('error', reject);
    req.end();
  });
}

/** nginx reloads asynchronously: a deadline for a loaded machine, not an expectation. */
const EDGE_DEADLINE_MS = 60_000;

/** Polls `check` until it holds (a failing request counts as not yet), or throws at the deadline. */
export async function untilEdgeAnswers(check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + EDGE_DEADLINE_MS;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error(`the edge did not answer as expected within ${EDGE_DEADLINE_MS} ms`);
}
