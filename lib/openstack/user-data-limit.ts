import { renderAllUserData } from '../cloud-init';
import { ClusterTopology, Problem } from '../model';
import { openstackMessages } from './messages';

/** Nova refuses user-data over 65535 bytes once base64-encoded (API reference, servers: user_data). */
export const NOVA_USER_DATA_LIMIT_BYTES = 65535;

/** Every node's user-data measured before synthesis, so an oversized one fails the file, not the apply. */
export function openstackUserDataProblems(topology: ClusterTopology): Problem[] {
  return renderAllUserData(topology)
    .map((doc) => ({ doc, bytes: base64Length(Buffer.byteLength(doc.text, 'utf8')) }))
    .filter(({ bytes }) => bytes > NOVA_USER_DATA_LIMIT_BYTES)
    .map(({ doc, bytes }) => ({
      path: doc.specPath,
      message: openstackMessages.userDataTooLarge(doc.kind === 'pool' ? `pool ${doc.name}` : doc.name, bytes, NOVA_USER_DATA_LIMIT_BYTES),
    }));
}

function base64Length(bytes: number): number {
  return 4 * Math.ceil(bytes / 3);
}
