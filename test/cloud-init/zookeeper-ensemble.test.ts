/**
 * A real ZooKeeper ensemble from the rendered zookeeper role: every ZooKeeper server's
 * cloud-config is rendered, its write_files laid out under a temporary root, and Debian's
 * ZooKeeper (package `zookeeper`, Java 17) started on exactly those files, each server on its
 * own loopback address. The only rewrites are address and path mapping (see
 * test/support/zookeeper-cloud-config.ts).
 */
import { describe, it } from 'node:test';
import { renderServerUserData } from '../../lib/cloud-init';
import { assertToolAvailable, gateOn } from '../support/tool-gate';
import { defineEnsembleSuite } from '../support/zookeeper-suite';
import { probeZookeeperRuntime } from '../support/zookeeper-runtime';

const probe = probeZookeeperRuntime();
const missing = probe.ok ? undefined : `ZooKeeper is not runnable here: ${probe.reason}`;

describe('zookeeper role: a real ensemble on loopback', () => {
  if (!probe.ok) {
    it('runs a 3- and a 5-node ensemble', gateOn(missing), () => assertToolAvailable(missing));
    return;
  }
  defineEnsembleSuite({ count: 3, render: renderServerUserData, runtime: probe.runtime, full: true });
  defineEnsembleSuite({ count: 5, render: renderServerUserData, runtime: probe.runtime, full: false });
  // The same role rendered from an OpenStack cluster file: the documents must not depend on the cloud.
  defineEnsembleSuite({ count: 3, render: renderServerUserData, runtime: probe.runtime, full: false, cloud: 'openstack' });
});
