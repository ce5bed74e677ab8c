/**
 * Calls to moto's own APIs, for a request where the AWS CLI would start Python and botocore
 * (1.5-1.8 CPU-s a call). moto checks no signature: it routes a request by the service and
 * region the Authorization header names.
 */

/** An Authorization header that names `service` in us-east-1, which is all moto reads of it. */
export function motoAuthorization(service: string): string {
  return `AWS4-HMAC-SHA256 Credential=testing/20260101/us-east-1/${service}/aws4_request, SignedHeaders=host, Signature=0`;
}

/**
 * One call of a query (form-encoded) API, such as EC2's (`ec2`, `2016-11-15`), Auto Scaling's
 * (`autoscaling`, `2011-01-01`) or CloudWatch's (`monitoring`, `2010-08-01`); its XML answer,
 * or an error naming the service, action and status.
 */
export async function motoQuery(endpoint: string, service: string, version: string, action: string, params: Record<string, string> = {}): Promise<string> {
  const response = await fetch(endpoint, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded', authorization: motoAuthorization(service) },
    body: new URLSearchParams({ Action: action, Version: version, ...params }),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`moto ${service} ${action}: ${response.status} ${text.slice(0, 300)}`);
  return text;
}
