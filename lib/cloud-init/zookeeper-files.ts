import { ClusterTopology, PORTS, QuorumServer } from '../model';
import { ZOOKEEPER } from './layout';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/**
 * Only what health checks and `verify` ask: srvr (await-ready, verify, `zkServer.sh status`),
 * mntr (verify: the leader's synced followers) and ruok (a liveness probe that tells nothing).
 * Every agent reaches the client port: stat lists the clients' addresses and conf the ensemble's
 * configuration, so neither is allowed.
 */
export const FOUR_LETTER_WORDS = ['ruok', 'srvr', 'mntr'] as const;

/** zoo.cfg and myid of one ensemble member. */
export function zookeeperFiles(topology: ClusterTopology, server: QuorumServer): WriteFile[] {
  if (server.zookeeperId === undefined) throw new Error(`${server.name} runs no ZooKeeper`);
  const zooCfg = renderTemplate('zookeeper/zoo.cfg.ejs', {
    version: '3.8',
    cluster: topology.cluster.name,
    dataDir: ZOOKEEPER.dataDir,
    clientPort: PORTS.zookeeperClient,
    peerPort: PORTS.zookeeperPeer,
    electionPort: PORTS.zookeeperElection,
    fourLetterWords: FOUR_LETTER_WORDS,
    servers: topology.zookeeper.servers.map((s) => ({ id: s.zookeeperId, ip: s.privateIp })),
  });
  return [
    configFile(ZOOKEEPER.config, zooCfg),
    // In dataDir, where ZooKeeper reads it. On Debian <dataDir>/myid is a symlink into
    // /etc/zookeeper/conf, which writing through it keeps consistent.
    configFile(`${ZOOKEEPER.dataDir}/myid`, `${server.zookeeperId}\n`),
  ];
}
