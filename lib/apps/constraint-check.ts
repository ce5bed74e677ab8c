import { AgentPoolTopology, VOLUME_ATTRIBUTE } from '../model';

/**
 * Constraints an app's agents cannot satisfy: each `[attribute, CLUSTER, value]` must name an
 * attribute the pool's agents carry with that value (the file's attributes, `pool`, and
 * `volume` = an agent's name on pools with volumes). Marathon would otherwise wait forever.
 */
export function constraintProblems(constraints: readonly (readonly string[])[], pool: AgentPoolTopology): string[] {
  return constraints.flatMap(([attribute, operator, value]) => {
    if (operator !== 'CLUSTER') return [`constraint ${JSON.stringify([attribute, operator, value])}: only CLUSTER is checked`];
    const allowed =
      attribute === VOLUME_ATTRIBUTE && pool.volume !== undefined ? pool.agents.map((a) => a.name) : attribute in pool.attributes ? [String(pool.attributes[attribute])] : [];
    return allowed.includes(value) ? [] : [`constraint ${attribute}:${value}: no agent of pool ${pool.name} has it (${allowed.join(', ') || 'no such attribute'})`];
  });
}
