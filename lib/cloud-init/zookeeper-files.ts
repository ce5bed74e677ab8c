import { ClusterTopology, PORTS, QuorumServer } from '../model';
import { ZOOKEEPER } from './layout';
import { renderTemplate } from './templates';
import { configFile, WriteFile } from './write-file';

/** Enough for `zkServer.sh status` (srvr), health checks (ruok) and monitoring (mntr, stat). */
export const FOUR_LETTER_WORDS = ['ruok', 'srvr', 'mntr', 'stat', 'conf', 'isro'] as const;

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
