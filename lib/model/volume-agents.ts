/**
 * The Mesos attribute every agent of a pool with volumes carries, naming its data volume (the
 * agent's stable name, e.g. `jenkins-masters-2`): a Marathon app constrained to it always finds
 * its data. Agents learn it at boot (agent-identity), so the pool's user-data stays one document.
 */
export const VOLUME_ATTRIBUTE = 'volume';
