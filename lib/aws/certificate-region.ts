import { Problem, ResolvedCluster } from '../model';

/** An application load balancer takes ACM certificates from its own region only; AWS says so at apply. */
export function awsCertificateProblems(cluster: ResolvedCluster): Problem[] {
  const arn = cluster.aws?.certificateArn ?? '';
  const region = /^arn:[^:]+:acm:([^:]+):/.exec(arn)?.[1];
  if (region === undefined || region === cluster.aws?.region) return [];
  return [{ path: 'aws.certificateArn', message: certificateInOtherRegion(region, cluster.aws!.region) }];
}

export function certificateInOtherRegion(certificateRegion: string, region: string): string {
  return `the ACM certificate is in ${certificateRegion}, but the load balancer runs in ${region} (aws.region): request or import the certificate in ${region}`;
}
