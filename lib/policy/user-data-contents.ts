import { gunzipSync } from 'node:zlib';
import { load } from 'js-yaml';
import { memoByText } from '../memo-by-text';

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * User-data as the node will see it: base64 and gzip layers (in any order, a few deep) undone,
 * so a rule never misses a secret that was merely encoded.
 */
export function undoEncodingLayers(raw: string): string {
  let text = raw;
  for (let layer = 0; layer < 4; layer += 1) {
    const compact = text.replace(/\s+/g, '');
    if (compact.length < 8 || compact.length % 4 !== 0 || !BASE64.test(compact)) return text;
    const bytes = Buffer.from(compact, 'base64');
    const inflated = bytes[0] === 0x1f && bytes[1] === 0x8b ? gunzipSync(bytes) : bytes;
    const decoded = inflated.toString('utf8');
    // Text that merely looks like base64 decodes to binary noise: keep the original then.
    if (/[\u0000-\u0008\u000e-\u001f\ufffd]/.test(decoded)) return text;
    text = decoded;
  }
  return text;
}

/**
 * The files a cloud-config document writes, by path, with `b64` and `gzip+b64` contents decoded.
 * Parsed once per document: several rules read the same node's files, and nodes of a role share documents.
 */
export const cloudConfigFiles: (document: string) => ReadonlyMap<string, string> = memoByText(readCloudConfigFiles);

/**
 * js-yaml rather than the `yaml` package the cluster files use: the rules read every node's
 * document on every synth, and js-yaml builds the same plain data 3-4 times faster (it keeps no
 * source positions, which only the cluster files' error messages need). Both read YAML 1.2's
 * core schema and refuse duplicate keys.
 */
function readCloudConfigFiles(document: string): Map<string, string> {
  const files = new Map<string, string>();
  if (!document.startsWith('#cloud-config')) return files;
  let config: any;
  try {
    config = load(document);
  } catch {
    return files;
  }
  for (const file of Array.isArray(config?.write_files) ? config.write_files : []) {
    if (typeof file?.path !== 'string') continue;
    const content = String(file.content ?? '');
    const encoding = String(file.encoding ?? '').toLowerCase();
    if (/^(b64|base64)$/.test(encoding)) files.set(file.path, Buffer.from(content, 'base64').toString('utf8'));
    else if (/^(gz\+b64|gzip\+base64|gz\+base64|gzip\+b64)$/.test(encoding)) files.set(file.path, gunzipSync(Buffer.from(content, 'base64')).toString('utf8'));
    else files.set(file.path, content);
  }
  return files;
}

/** `KEY=value` of a facts file or the document itself (first match). */
export function factOf(text: string, key: string): string | undefined {
  return new RegExp(`^\\s*${key}=(.*)$`, 'm').exec(text)?.[1].trim();
}

/** A shell script with its `\`-continued lines joined, so one command reads as one line. */
export function joinContinuedLines(script: string): string {
  return script.replace(/ \\\n\s*/g, ' ');
}
