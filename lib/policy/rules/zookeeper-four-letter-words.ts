import { ZOOKEEPER } from '../../cloud-init/layout';
import { FOUR_LETTER_WORDS } from '../../cloud-init/zookeeper-files';
import { judge, NO_SCANNER, PolicyRule } from '../rule';
import { cloudConfigFiles } from '../user-data-contents';

/** ZooKeeper answers only the four-letter words health checks and verify ask. */
export const zookeeperFourLetterWords: PolicyRule = {
  id: 'zookeeper-four-letter-words',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'each `zoo.cfg` allows only `ruok`, `srvr`, `mntr` (no `stat`, `conf`, `*`)',
  mirrors: NO_SCANNER,
  explanation: `Every agent reaches ZooKeeper's client port: stat lists the clients' addresses, conf the ensemble's configuration, dump and wchp the sessions; only ${FOUR_LETTER_WORDS.join(', ')} are needed`,
  fix: `list only ${FOUR_LETTER_WORDS.join(',')} in 4lw.commands.whitelist (lib/cloud-init/zookeeper-files.ts), never *`,
  evaluate: ({ view }) =>
    view.nodes
      .filter((n) => n.services.includes('zookeeper'))
      .map((node) => {
        const zooCfg = cloudConfigFiles(node.userData ?? '').get(ZOOKEEPER.config) ?? '';
        const line = /^\s*4lw\.commands\.whitelist\s*=(.*)$/m.exec(zooCfg);
        // Without the key ZooKeeper 3.8 answers srvr alone.
        const words = line ? line[1].split(',').map((w) => w.trim()).filter(Boolean) : ['srvr'];
        const extra = words.filter((w) => !(FOUR_LETTER_WORDS as readonly string[]).includes(w));
        return judge(`${node.address} zoo.cfg`, extra.length > 0 ? `4lw.commands.whitelist allows ${extra.join(', ')}` : undefined, `allows ${words.join(', ')}`);
      }),
};
