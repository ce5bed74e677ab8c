import { TerraformStack } from 'cdktf';
import { stableLogicalId } from './logical-id';

/**
 * The two overrides every cluster's stack makes. cdktf offers both only as methods of
 * TerraformStack (`allocateLogicalId` is protected and called by `getLogicalId`; `prepareStack`
 * is called by the synthesizer), so they take a subclass; all else the stacks share is composed
 * (`clusterStackPreamble`), not inherited.
 */
export class ClusterTerraformStack extends TerraformStack {
  /**
   * cdktf's preparing pass resolves every token of the stack once before synthesis, only to find
   * references to other stacks. A cluster's stack never references another, so the pass is
   * skipped: it was about a third of the synth's own work (`npm run bench`). The backend check
   * it also did stays.
   */
  prepareStack(): void {
    this.ensureBackendExists();
  }

  /** Addresses read like the construct tree (`aws_instance.zookeeper-1_instance`), without hashes. */
  protected allocateLogicalId(element: Parameters<TerraformStack['allocateLogicalId']>[0]): string {
    return stableLogicalId(element);
  }
}
