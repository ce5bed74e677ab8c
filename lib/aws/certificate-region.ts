import { AWS_REGION_NAME } from '../model/backend-rules';
import { Problem } from '../model/index';
import { awsMessages } from './messages';

/**
 * An application load balancer takes ACM certificates from its own region only, and AWS says so
 * only at apply. Runs on unchecked input: values of the wrong type are the schema's to report.
 */
export function awsCertificateProblems(spec: { readonly aws?: { readonly region?: unknown; readonly certificateArn?: unknown } }): Problem[] {
  const region = spec.aws?.region;
  const certificateRegion = /^arn:[^:]+:acm:([^:]+):/.exec(String(spec.aws?.certificateArn ?? ''))?.[1];
  // A malformed region is the region rule's to report; the schema refuses a malformed ARN.
  if (typeof region !== 'string' || !AWS_REGION_NAME.test(region) || certificateRegion === undefined || certificateRegion === region) return [];
  return [{ path: 'aws.certificateArn', message: awsMessages.certificateInOtherRegion(certificateRegion, region) }];
}
