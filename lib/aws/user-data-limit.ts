import { renderAllUserData } from '../cloud-init';
import { ClusterTopology, Problem } from '../model';
import { encodedUserDataBytes } from './user-data';

/** EC2 refuses user-data over 16 KiB (before base64, after our gzip), and only at apply time. */
export const AWS_USER_DATA_LIMIT_BYTES = 16384;

/** Every node's user-data measured before synthesis, so an oversized one fails the file, not the apply. */
export function awsUserDataProblems(topology: ClusterTopology): Problem[] {
  return renderAllUserData(topology)
    .map((doc) => ({ doc, bytes: encodedUserDataBytes(doc.text) }))
    .filter(({ bytes }) => bytes > AWS_USER_DATA_LIMIT_BYTES)
    .map(({ doc, bytes }) => ({
      path: doc.specPath,
      message: `the user-data of ${doc.kind === 'pool' ? `pool ${doc.name}` : doc.name} is ${bytes} bytes compressed, over EC2's limit of ${AWS_USER_DATA_LIMIT_BYTES}; use fewer attributes or fewer quorum servers`,
    }));
}
