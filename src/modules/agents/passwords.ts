import { hash, verify, type Options } from '@node-rs/argon2';
import { validationError } from '../../platform/errors.js';
import { randomToken } from '../../platform/tokens.js';

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 200;

/**
 * OWASP's argon2id baseline (19 MiB, 2 passes, 1 lane). `2` is Algorithm.Argon2id: the package
 * declares its enums as ambient const enums, which isolatedModules cannot reference.
 */
const ARGON2: Options = { algorithm: 2 as Options['algorithm'], memoryCost: 19_456, timeCost: 2, parallelism: 1 };

/** Lengths count code points, as the request schemas (Ajv) do. */
export function assertPasswordPolicy(password: string): void {
  const length = [...password].length;
  if (length < PASSWORD_MIN_LENGTH) {
    throw validationError('agent.password_too_short', `Passwords have at least ${PASSWORD_MIN_LENGTH} characters`, { field: 'password' });
  }
  if (length > PASSWORD_MAX_LENGTH) {
    throw validationError('agent.password_too_long', `Passwords have at most ${PASSWORD_MAX_LENGTH} characters`, { field: 'password' });
  }
}

export async function hashPassword(password: string): Promise<string> {
  assertPasswordPolicy(password);
  return hash(password, ARGON2);
}

let decoyHash: Promise<string> | undefined;

/**
 * Checks a password against a stored hash. Without a hash (unknown email, invited agent) it
 * still runs argon2 against a decoy, so the answer takes as long as for a real account and the
 * login form cannot tell which emails exist. A malformed stored hash is a mismatch, not a crash.
 */
export async function verifyPassword(password: string, passwordHash: string | null): Promise<boolean> {
  if (passwordHash === null) {
    decoyHash ??= hash(randomToken(), ARGON2);
    await verify(await decoyHash, password).catch(() => false);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    // Not a PHC string (e.g. rows written by test factories): spend the time anyway.
    return verifyPassword(password, null);
  }
}
