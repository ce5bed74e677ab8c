import { AWS_REGION_NAME } from '../model/backend-rules';
import { Problem } from '../model/index';
import { awsMessages } from './messages';

/** The region of an ARN of `service`, or undefined for another service's or a malformed one. */
function regionOf(service: string, arn: unknown): string | undefined {
  return new RegExp(`^arn:[^:]+:${service}:([^:]+):`).exec(String(arn ?? ''))?.[1];
}

/** A problem at `path` when an ARN's region is not the cluster's; a malformed region is the region rule's to report. */
function otherRegion(region: unknown, arnRegion: string | undefined, path: string, message: (arnRegion: string, region: string) => string): Problem[] {
  if (typeof region !== 'string' || !AWS_REGION_NAME.test(region) || arnRegion === undefined || arnRegion === region) return [];
  return [{ path, message: message(arnRegion, region) }];
}

/**
 * An application load balancer takes ACM certificates from its own region only, and AWS says so
 * only at apply. Runs on unchecked input: values of the wrong type are the schema's to report.
 */
export function awsCertificateProblems(spec: { readonly aws?: { readonly region?: unknown; readonly certificateArn?: unknown } }): Problem[] {
  return otherRegion(spec.aws?.region, regionOf('acm', spec.aws?.certificateArn), 'aws.certificateArn', awsMessages.certificateInOtherRegion);
}

/** CloudWatch alarms notify SNS topics of their own region only; AWS too says so only at apply. */
export function awsAlarmTopicProblems(spec: { readonly aws?: { readonly region?: unknown; readonly alarmTopicArn?: unknown } }): Problem[] {
  return otherRegion(spec.aws?.region, regionOf('sns', spec.aws?.alarmTopicArn), 'aws.alarmTopicArn', awsMessages.alarmTopicInOtherRegion);
}
