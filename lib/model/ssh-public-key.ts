/**
 * An OpenSSH public key line as `ssh-keygen` writes it (`<type> <base64> [comment]`), whose
 * encoded blob starts with the same type name. The comment is kept to plain text.
 */
const KEY_TYPES = [
  'ssh-ed25519',
  'ssh-rsa',
  'ecdsa-sha2-nistp256',
  'ecdsa-sha2-nistp384',
  'ecdsa-sha2-nistp521',
  'sk-ssh-ed25519@openssh.com',
  'sk-ecdsa-sha2-nistp256@openssh.com',
] as const;
export const OPENSSH_KEY_TYPES: readonly string[] = KEY_TYPES;

const KEY_LINE = /^(\S+) ([A-Za-z0-9+/]+={0,2})( [A-Za-z0-9@._+=:,/ -]{0,256})?$/;

export function isOpenSshPublicKey(text: string): boolean {
  const match = KEY_LINE.exec(text);
  if (match === null || !OPENSSH_KEY_TYPES.includes(match[1])) return false;
  const blob = Buffer.from(match[2], 'base64');
  if (blob.length < 4 || blob.toString('base64') !== match[2]) return false;
  const typeLength = blob.readUInt32BE(0);
  return blob.subarray(4, 4 + typeLength).toString('latin1') === match[1];
}
