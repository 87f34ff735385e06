/**
 * The organizer's admin password: ADMIN_PASSWORD from the environment, or one generated on the first
 * start and kept in DATA_DIR as a salted scrypt hash (it is a human password, so a slow salted hash,
 * unlike the random keys). The generated password exists in clear only to be printed once.
 */
import { randomBytes, randomInt, scrypt, scryptSync, timingSafeEqual } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

const FILE_NAME = 'admin-password.json';
/** scrypt cost: about 50 ms and 16 MB per check on a small machine. */
const SCRYPT = { N: 16384, r: 8, p: 1, keyLength: 32 } as const;
/** Letters and digits a person reads off a terminal without confusing them (no 0/O, 1/l/I). */
const PASSWORD_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';

interface PasswordFile {
  algorithm: 'scrypt';
  N: number;
  r: number;
  p: number;
  salt: string;
  hash: string;
}

export interface AdminPassword {
  isValid(password: string): Promise<boolean>;
  /** The password generated on this start (print it once), or null. */
  readonly generated: string | null;
  /** Where the hash is kept, or null when it comes from the environment. */
  readonly file: string | null;
}

function derive(password: string, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    scrypt(password, salt, SCRYPT.keyLength, { ...cost, maxmem: 64 * 1024 * 1024 }, (error, key) => (error ? reject(error) : resolve(key)));
  });
}

/** Hashes once at start-up (synchronously); checks at login run off the event loop. */
function hashPassword(password: string): PasswordFile {
  const salt = randomBytes(16);
  const hash = scryptSync(password, salt, SCRYPT.keyLength, { N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, maxmem: 64 * 1024 * 1024 });
  return { algorithm: 'scrypt', N: SCRYPT.N, r: SCRYPT.r, p: SCRYPT.p, salt: salt.toString('hex'), hash: hash.toString('hex') };
}

function verifierOf(stored: PasswordFile): (password: string) => Promise<boolean> {
  const expected = Buffer.from(stored.hash, 'hex');
  return async (password) => {
    const actual = await derive(password, Buffer.from(stored.salt, 'hex'), stored);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  };
}

/** A password of four groups of four letters, e.g. k7mx-q2rt-…: about 79 bits. */
export function generatePassword(): string {
  const groups = Array.from({ length: 4 }, () => Array.from({ length: 4 }, () => PASSWORD_ALPHABET[randomInt(PASSWORD_ALPHABET.length)]).join(''));
  return groups.join('-');
}

/** The admin password of this server: from the environment, from DATA_DIR, or generated now and stored hashed. */
export function openAdminPassword(dataDir: string, fromEnvironment: string | undefined): AdminPassword {
  if (fromEnvironment) {
    return { isValid: verifierOf(hashPassword(fromEnvironment)), generated: null, file: null };
  }
  const file = path.join(dataDir, FILE_NAME);
  if (fs.existsSync(file)) {
    const stored = JSON.parse(fs.readFileSync(file, 'utf8')) as PasswordFile;
    return { isValid: verifierOf(stored), generated: null, file };
  }
  const generated = generatePassword();
  const stored = hashPassword(generated);
  fs.mkdirSync(dataDir, { recursive: true });
  fs.writeFileSync(file, JSON.stringify(stored, null, 2), { mode: 0o600 });
  return { isValid: verifierOf(stored), generated, file };
}
