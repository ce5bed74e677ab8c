import { gunzipSync, gzipSync } from 'node:zlib';
import { memoByText } from '../memo-by-text';

/**
 * A cloud-config document as EC2 takes it: gzip-compressed (cloud-init unpacks gzip user-data
 * itself), then base64. EC2 caps user-data at 16 KiB before base64; compressed, the helper
 * scripts and units of an agent fit in a quarter of that. Base64 also means Terraform never
 * reads shell `${...}` in it as interpolation.
 */
export function encodeUserData(text: string): string {
  return compressed(text).toString('base64');
}

/** The bytes EC2 counts against its limit. */
export function encodedUserDataBytes(text: string): number {
  return compressed(text).length;
}

/**
 * Each document is compressed once per process: the size check before synthesis and the stack
 * itself both need it, and gzip at level 9 is a visible part of a synth. Keyed by the text, so a
 * changed document is compressed anew.
 */
const compressed = memoByText((text) => gzipSync(Buffer.from(text, 'utf8'), { level: 9 }));

/** The document back from {@link encodeUserData}, for tests and operators. */
export function decodeUserData(base64: string): string {
  return gunzipSync(Buffer.from(base64, 'base64')).toString('utf8');
}
