import { gunzipSync, gzipSync } from 'node:zlib';

/**
 * A cloud-config document as EC2 takes it: gzip-compressed (cloud-init unpacks gzip user-data
 * itself), then base64. EC2 caps user-data at 16 KiB before base64; compressed, the helper
 * scripts and units of an agent fit in a quarter of that. Base64 also means Terraform never
 * reads shell `${...}` in it as interpolation.
 */
export function encodeUserData(text: string): string {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).toString('base64');
}

/** The bytes EC2 counts against its limit. */
export function encodedUserDataBytes(text: string): number {
  return gzipSync(Buffer.from(text, 'utf8'), { level: 9 }).length;
}

/** The document back from {@link encodeUserData}, for tests and operators. */
export function decodeUserData(base64: string): string {
  return gunzipSync(Buffer.from(base64, 'base64')).toString('utf8');
}
