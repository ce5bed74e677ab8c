import { NODE } from './layout';
import { NodePlan } from './node-plan';
import { readStatic, renderTemplate } from './templates';
import { configFile, scriptFile, WriteFile } from './write-file';

/**
 * A helper script as the node gets it: without its comment lines, because AWS caps user data
 * at 16 KiB. The shebang and shellcheck directives stay; cloud-init/scripts/ has the comments.
 */
export function helperScript(name: string): WriteFile {
  const lines = readStatic(`scripts/${name}.sh`).split('\n');
  const kept = lines.filter((line, i) => i === 0 || !/^\s*#/.test(line) || /^\s*# shellcheck /.test(line));
  const header = `${kept[0]}\n# mesos-cluster ${name}: see cloud-init/scripts/${name}.sh for the commented source.`;
  return scriptFile(`${NODE.scriptDir}/${name}`, [header, ...kept.slice(1)].join('\n'));
}

/** Files every node gets: facts, /etc/hosts and the helper scripts its steps use. */
export function commonFiles(plan: NodePlan, helpers: readonly string[]): WriteFile[] {
  return [
    configFile(NODE.facts, renderTemplate('common/facts.env.ejs', { facts: Object.entries(plan.facts) })),
    configFile(NODE.hosts, renderTemplate('common/hosts.ejs', { hosts: plan.hosts, self: plan.hostname })),
    ...helpers.map(helperScript),
  ];
}
