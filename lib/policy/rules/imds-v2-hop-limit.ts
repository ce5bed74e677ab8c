import { judge, notApplicable, PolicyRule } from '../rule';
import { blocks, resourcesOf } from '../terraform-json';

/** IMDSv2 only, hop limit 1: a container on the host cannot fetch the node's credentials. */
export const imdsV2HopLimit: PolicyRule = {
  id: 'imds-v2-hop-limit',
  level: 'error',
  clouds: ['aws'],
  summary: 'instances and launch templates require IMDSv2 tokens, hop limit 1',
  mirrors: { checkov: ['CKV_AWS_79', 'CKV_AWS_341'], trivy: ['AVD-AWS-0028', 'AVD-AWS-0130'], kics: ['c306ac53-ee5b-41d3-86a9-0fd2722b4e67'] },
  explanation: 'Every instance and launch template requires IMDSv2 session tokens with a response hop limit of 1',
  fix: 'set metadata_options { http_endpoint = "enabled", http_tokens = "required", http_put_response_hop_limit = 1 } (lib/aws/instance-defaults.ts IMDS_V2_ONLY)',
  evaluate: (stack) =>
    resourcesOf(stack.json, 'aws_instance', 'aws_launch_template').map(({ address, body }) => {
      const [options] = blocks(body.metadata_options);
      if (options?.http_endpoint === 'disabled') return notApplicable(address, 'the metadata service is disabled');
      return judge(address, metadataProblem(options), 'IMDSv2 required, hop limit 1');
    }),
};

function metadataProblem(options: Record<string, any> | undefined): string | undefined {
  if (options === undefined) return 'no metadata_options: IMDSv1 answers without a token';
  if (options.http_tokens !== 'required') return `http_tokens is ${JSON.stringify(options.http_tokens ?? 'unset')}: IMDSv1 answers without a token`;
  // Unset means the image's default, which is 2 on current Amazon Linux images.
  if (Number(options.http_put_response_hop_limit) !== 1) {
    return `http_put_response_hop_limit is ${JSON.stringify(options.http_put_response_hop_limit ?? 'unset')}: containers one hop away reach the metadata service`;
  }
  return undefined;
}
