import { NODE } from './layout';
import { NodePlan } from './node-plan';
import { readStatic, renderTemplate } from './templates';
import { configFile, scriptFile, WriteFile } from './write-file';

/**
 * `cloud-init/scripts/<name>.sh` as a node gets it: without its comment lines, because AWS caps user
 * data at 16 KiB. The first line (shebang or shellcheck's shell directive) and shellcheck
 * directives stay; the source in cloud-init/scripts/ has the comments.
 */
function withoutComments(name: string): string {
  const lines = readStatic(`scripts/${name}.sh`).split('\n');
  const kept = lines.filter((line, i) => i === 0 || !/^\s*#/.test(line) || /^\s*# shellcheck /.test(line));
  const header = `${kept[0]}\n# mesos-cluster ${name}: see cloud-init/scripts/${name}.sh for the commented source.`;
  return [header, ...kept.slice(1)].join('\n');
}

/** A helper script as the node gets it, run by name from NODE.scriptDir. */
export function helperScript(name: string): WriteFile {
  return scriptFile(`${NODE.scriptDir}/${name}`, withoutComments(name));
}

/** How a helper sources a shell library: `. "${root}/usr/local/lib/mesos-cluster/<library>.sh"`. */
const SOURCES_LIBRARY = new RegExp(`^\\. "\\$\\{root\\}${NODE.scriptDir}/([a-z0-9-]+)\\.sh"$`, 'gm');

/**
 * The shell libraries `helpers` source (cloud-init/scripts/<library>.sh, e.g. mesos-tls), as the
 * node gets them: beside the helpers, named <library>.sh and not executable (sourced, never run).
 * Read from the helpers' own source lines, so a node never lacks a library one of its helpers reads.
 */
export function libraryFiles(helpers: readonly string[]): WriteFile[] {
  const libraries = new Set(helpers.flatMap((name) => [...readStatic(`scripts/${name}.sh`).matchAll(SOURCES_LIBRARY)].map((m) => m[1])));
  return [...libraries].sort().map((library) => configFile(`${NODE.scriptDir}/${library}.sh`, withoutComments(library)));
}

/** Files every node gets: facts, /etc/hosts, the helper scripts its steps use and the libraries they source. */
export function commonFiles(plan: NodePlan, helpers: readonly string[]): WriteFile[] {
  return [
    configFile(NODE.facts, renderTemplate('common/facts.env.ejs', { facts: Object.entries(plan.facts) })),
    configFile(NODE.hosts, renderTemplate('common/hosts.ejs', { hosts: plan.hosts, self: plan.hostname })),
    ...helpers.map(helperScript),
    ...libraryFiles(helpers),
  ];
}
