import { renderBastionUserData, renderPoolUserData, renderServerUserData } from '../cloud-init';
import { ClusterTopology, joinPath, Problem, SPEC_PATH_OF } from '../model';

/** EC2 refuses user-data over 16 KiB (before base64), and only at apply time. */
export const AWS_USER_DATA_LIMIT_BYTES = 16384;

/** Every node's user-data measured before synthesis, so an oversized one fails the file, not the apply. */
export function awsUserDataProblems(topology: ClusterTopology): Problem[] {
  const documents: { path: string; node: string; text: string }[] = [
    ...topology.servers.map((s) => ({ path: SPEC_PATH_OF[s.role], node: s.name, text: renderServerUserData(topology, s.name) })),
    ...topology.pools.map((p) => ({ path: joinPath('pools', p.name), node: `pool ${p.name}`, text: renderPoolUserData(topology, p.name) })),
    { path: 'bastion', node: 'bastion', text: renderBastionUserData(topology) },
  ];
  return documents
    .map(({ path, node, text }) => ({ path, node, bytes: Buffer.byteLength(text, 'utf8') }))
    .filter(({ bytes }) => bytes > AWS_USER_DATA_LIMIT_BYTES)
    .map(({ path, node, bytes }) => ({
      path,
      message: `the user-data of ${node} is ${bytes} bytes, over EC2's limit of ${AWS_USER_DATA_LIMIT_BYTES}; use fewer attributes or fewer quorum servers`,
    }));
}
