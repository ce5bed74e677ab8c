import { randomInt } from 'node:crypto';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';

/** 32 letters and digits (about 190 bits): safe unescaped in zk:// URLs, JSON and env files. */
export const TOKEN_LENGTH = 32;

/** A new secret token from the system's CSPRNG (crypto.randomInt is uniform, no modulo bias). */
export function generateToken(length = TOKEN_LENGTH): string {
  return Array.from({ length }, () => ALPHABET[randomInt(ALPHABET.length)]).join('');
}

/** What fetch-secrets accepts as a token (cloud-init/scripts/fetch-secrets.sh). */
export const TOKEN_PATTERN = /^[A-Za-z0-9]{16,}$/;
