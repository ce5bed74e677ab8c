import { Document } from 'yaml';
import { IMAGE_HELPERS, NODE } from './layout';
import { NodePlan, unitSplit } from './node-plan';
import { commonFiles } from './common-files';
import { renderTemplate } from './templates';
import { scriptFile, shellQuote } from './write-file';

const CONFIGURE_NODE = `${NODE.scriptDir}/configure-node`;

/** The node's steps in order: each is a helper script and its arguments. */
function steps(plan: NodePlan): (readonly string[])[] {
  const units = unitSplit(plan.enable);
  return [
    ...plan.preSteps,
    ['activate-units', '--enable', ...units.enable, '--mask', ...units.mask],
    ...(plan.readySteps ?? []),
    ['await-ready', ...plan.probes],
    ...(plan.postSteps ?? []),
  ];
}

/** Longest line of a step before it continues on the next (`\`): yamllint allows 200. */
const STEP_LINE_CHARS = 160;

/**
 * One shell command of `words`, continued over lines of at most STEP_LINE_CHARS; the script and
 * its first argument always share the first line.
 */
function shellLine(words: readonly string[]): string {
  const lines = [words.slice(0, 2).join(' ')];
  for (const word of words.slice(2)) {
    const last = lines.length - 1;
    if (lines[last].length + 1 + word.length + 2 > STEP_LINE_CHARS) lines.push(`  ${word}`);
    else lines[last] += ` ${word}`;
  }
  return lines.join(' \\\n');
}

/** The `configure-node` script: runs the steps, stopping at the first failure. */
function configureNodeScript(plan: NodePlan): string {
  return renderTemplate('common/configure-node.sh.ejs', {
    role: plan.role,
    node: plan.hostname ?? `every agent of pool ${plan.facts.CLUSTER_POOL}`,
    steps: steps(plan).map(([script, ...args]) => shellLine([`"\${lib}/${script}"`, ...args.map(shellQuote)])),
    imageHelpers: [...new Set(steps(plan).map(([script]) => script))].filter((s) => IMAGE_HELPERS.includes(s)),
  });
}

/** Serializes a node plan as a complete `#cloud-config` document. */
export function renderCloudConfig(plan: NodePlan): string {
  const helpers = [...new Set([...steps(plan).map(([script]) => script), ...(plan.helpers ?? [])])].filter((s) => !IMAGE_HELPERS.includes(s));
  const files = [...commonFiles(plan, helpers), ...plan.files, scriptFile(CONFIGURE_NODE, configureNodeScript(plan))];
  const config: Record<string, unknown> = {
    // Agents of a pool share one document and name themselves at boot (agent-identity);
    // preserve_hostname keeps cloud-init from resetting that name on later boots.
    ...(plan.hostname !== undefined ? { hostname: plan.hostname, preserve_hostname: false } : { preserve_hostname: true }),
    // /etc/hosts is ours (write_files): every quorum server by name, on every node.
    manage_etc_hosts: false,
    // owner is left to cloud-init's default, root:root.
    write_files: files.map((f) => ({ path: f.path, permissions: f.permissions, content: f.content })),
    // One entry: configure-node runs with `set -e`, so a failed step stops the rest
    // (cloud-init's runcmd would carry on after a failed entry).
    runcmd: [CONFIGURE_NODE],
  };
  const body = new Document(config).toString({ lineWidth: 0, blockQuote: 'literal' });
  return `#cloud-config\n${body}`;
}
