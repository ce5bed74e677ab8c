/**
 * Test harness: a private nginx layout for cloud-init/scripts/edge-routes.py under a test's folder:
 * nginx.conf (its pid, logs and temp paths inside the folder) including conf.d/*.conf, where the
 * generator writes its file (`--out`) and nginx -t checks it (`--nginx-conf`).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
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
