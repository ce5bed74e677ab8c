import { useStack } from '../emulator/moto-workspace';
import { TerraformWorkspace } from '../plan/terraform-run';

/**
 * The sandbox's own Terraform runs find moto through their environment (`AWS_ENDPOINT_URL`,
 * useStack's `endpointsFromEnvironment`): an `endpoints` block costs the provider 3 to 4 CPU-s of
 * checking at every plan, twice per apply (reference/terraform/AWS-PROVIDER-ENDPOINTS.md). A
 * workspace a person may run `terraform` in by hand (kept, or left by a failed run) gets the
 * block back, so that a bare `terraform` there reaches the emulator and nothing else.
 */
export function handOver(workspace: TerraformWorkspace, stackDir: string, endpoint: string, images: ReadonlyMap<string, string>): void {
  useStack(workspace, stackDir, endpoint, { images });
}

/** `work`, and on its failure the workspace handed over (handOver) before the error goes on. */
export async function handedOverOnFailure<T>(workspace: TerraformWorkspace, stackDir: string, endpoint: string, images: ReadonlyMap<string, string>, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    handOver(workspace, stackDir, endpoint, images);
    throw error;
  }
}
