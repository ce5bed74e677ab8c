import { StackSummary } from './plan-summary';

/**
 * A small Mermaid picture of the cluster: zones with their quorum servers, pools with their
 * agent counts; what the plan creates, updates, replaces or destroys is coloured.
 */
export function clusterDiagram(summary: StackSummary): string {
  const lines = ['flowchart LR'];
  const classes: string[] = [];
  const zones = new Map<string, string[]>();
  for (const server of summary.servers) {
    const zone = server.zone ?? 'zone known after apply';
    zones.set(zone, [...(zones.get(zone) ?? []), server.name]);
    if (server.effect !== 'none') classes.push(`  class ${nodeId(server.name)} ${server.effect}`);
  }
  for (const [zone, names] of zones) {
    lines.push(`  subgraph ${nodeId(`zone-${zone}`)}["${label(zone)}"]`);
    for (const name of names) lines.push(`    ${nodeId(name)}["${label(name)}"]`);
    lines.push('  end');
  }
  for (const pool of summary.pools) {
    const id = nodeId(`pool-${pool.pool}`);
    const count = pool.agentsBefore === pool.agentsAfter ? `${pool.agentsAfter}` : `${pool.agentsBefore} → ${pool.agentsAfter}`;
    lines.push(`  ${id}[["pool ${label(pool.pool)}: ${count} agents"]]`);
    if (pool.changed) classes.push(`  class ${id} ${pool.agentsBefore === 0 ? 'create' : pool.agentsAfter < pool.agentsBefore ? 'destroy' : 'update'}`);
  }
  lines.push(
    '  classDef create fill:#d3f9d8,stroke:#2b8a3e',
    '  classDef update fill:#fff3bf,stroke:#e67700',
    '  classDef replace fill:#ffd8a8,stroke:#d9480f',
    '  classDef destroy fill:#ffc9c9,stroke:#c92a2a',
    ...classes,
  );
  return lines.join('\n');
}

function nodeId(name: string): string {
  return `n_${name.replace(/[^A-Za-z0-9]/g, '_')}`;
}

function label(text: string): string {
  return text.replace(/"/g, '#quot;');
}
