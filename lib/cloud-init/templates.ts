import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import ejs from 'ejs';

/**
 * The cloud-init/ template folder. Found by walking up because the code runs both from
 * lib/cloud-init (tsx) and from dist/lib/cloud-init (compiled), at different depths.
 */
function templateRoot(): string {
  for (let dir = __dirname, i = 0; i < 5; dir = join(dir, '..'), i++) {
    const candidate = join(dir, 'cloud-init', 'common', 'configure-node.sh.ejs');
    if (existsSync(candidate)) return join(dir, 'cloud-init');
  }
  throw new Error(`cloud-init templates not found above ${__dirname}`);
}

const cache = new Map<string, string>();

function read(name: string): string {
  let text = cache.get(name);
  if (text === undefined) {
    text = readFileSync(join(templateRoot(), name), 'utf8');
    cache.set(name, text);
  }
  return text;
}

/** Renders `cloud-init/<name>` (an ejs template; templates use only `<%-`, never HTML escaping). */
export function renderTemplate(name: string, data: Record<string, unknown>): string {
  // cache: compiled once per file and process; a synth renders the same partials for every node.
  return ejs.render(read(name), data, { filename: join(templateRoot(), name), async: false, cache: true });
}

/** A file from `cloud-init/` used as it is (the static helper scripts). */
export function readStatic(name: string): string {
  return read(name);
}
