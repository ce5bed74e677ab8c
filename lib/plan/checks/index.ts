import { ClusterResource } from '../cluster-resources';
import { ChangeCheck, CheckOptions, Finding } from './change-check';
import { dataLossCheck } from './data-loss';
import { driftCheck } from './drift';
import { poolShrinkCheck } from './pool-shrink';
import { quorumAddressMovedCheck } from './quorum-address-moved';
import { quorumServerReplacedCheck } from './quorum-server-replaced';
import { quorumSizeChangedCheck } from './quorum-size-changed';
import { zoneReplacementCheck } from './zone-replacement';

export * from './change-check';

/** Every check `check-change` runs, in the order findings are printed. */
export const CHANGE_CHECKS: readonly ChangeCheck[] = [
  dataLossCheck,
  quorumServerReplacedCheck,
  quorumSizeChangedCheck,
  quorumAddressMovedCheck,
  poolShrinkCheck,
  zoneReplacementCheck,
  driftCheck,
];

export function runChecks(resources: readonly ClusterResource[], options: CheckOptions): Finding[] {
  return CHANGE_CHECKS.flatMap((check) => check.run(resources, options));
}
