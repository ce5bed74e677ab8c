import { Problem } from '../model/index';
import { awsMessages } from './messages';

/**
 * An application load balancer takes ACM certificates from its own region only, and AWS says so
 * only at apply. Runs on unchecked input: values of the wrong type are the schema's to report.
 */
export function awsCertificateProblems(spec: { readonly aws?: { readonly region?: unknown; readonly certificateArn?: unknown } }): Problem[] {
  const region = spec.aws?.region;
  const certificateRegion = /^arn:[^:]+:acm:([^:]+):/.exec(String(spec.aws?.certificateArn ?? ''))?.[1];
  if (typeof region !== 'string' || certificateRegion === undefined || certificateRegion === region) return [];
  return [{ path: 'aws.certificateArn', message: awsMessages.certificateInOtherRegion(certificateRegion, region) }];
}
