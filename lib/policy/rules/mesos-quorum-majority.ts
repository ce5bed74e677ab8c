import { MESOS } from '../../cloud-init/layout';
import { majority } from '../../model';
import { judge, NO_SCANNER, PolicyRule } from '../rule';
import { cloudConfigFiles } from '../user-data-contents';

/** Each Mesos master's `--quorum`, read from its rendered user-data, is a strict majority of the masters. */
export const mesosQuorumMajority: PolicyRule = {
  id: 'mesos-quorum-majority',
  level: 'error',
  clouds: ['aws', 'openstack'],
  summary: 'each master\'s rendered `--quorum` is ⌊n/2⌋+1 of the masters',
  mirrors: NO_SCANNER,
  explanation: 'With a quorum below ⌊n/2⌋+1 two halves of the masters can both write the replicated log; above it one lost master stops the cluster',
  fix: `render --quorum (${MESOS.masterFlagDir}/quorum) from the number of masters: topology.mesos.quorum`,
  evaluate: ({ view }) => {
    const masters = view.nodes.filter((n) => n.services.includes('mesos-master'));
    const expected = majority(masters.length);
    const copied = masters.find((m) => m.copies !== 1);
    return masters.map((master) => {
      if (copied) return judge(master.address, `${copied.address} makes masters with count or for_each, so n is not known here`, '');
      const flag = cloudConfigFiles(master.userData ?? '').get(`${MESOS.masterFlagDir}/quorum`)?.trim();
      const problem =
        flag === undefined
          ? `its user-data sets no --quorum (${MESOS.masterFlagDir}/quorum)`
          : flag === String(expected)
            ? undefined
            : `--quorum=${flag}, but ${masters.length} masters need ${expected}`;
      return judge(master.address, problem, `--quorum=${expected} of ${masters.length}`);
    });
  },
};
