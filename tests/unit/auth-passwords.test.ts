import { describe, expect, it } from 'vitest';
import { dummyPasswordHash, hashPassword, verifyPassword } from '../../server/auth/passwords.ts';
import { hashToken, newToken } from '../../server/auth/tokens.ts';

describe('password hashes', () => {
  it('are scrypt strings with their parameters and a fresh salt, and verify', async () => {
    const a = await hashPassword('correct horse battery');
    const b = await hashPassword('correct horse battery');
    expect(a).toMatch(/^scrypt\$32768\$8\$1\$[\w-]{22}\$[\w-]{43}$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('correct horse battery', a)).toBe(true);
    expect(await verifyPassword('correct horse batterz', a)).toBe(false);
    expect(await verifyPassword('', a)).toBe(false);
  });

  it('honour the parameters stored with the hash', async () => {
    const a = await hashPassword('pw');
    const [, , , , salt] = a.split('$');
    // A hash made with other parameters still verifies with its own.
    const { scryptSync } = await import('node:crypto');
    const key = scryptSync('pw', Buffer.from(salt, 'base64url'), 32, { N: 1024, r: 8, p: 1 }).toString('base64url');
    expect(await verifyPassword('pw', `scrypt$1024$8$1$${salt}$${key}`)).toBe(true);
  });

  it('reject malformed stored strings without throwing', async () => {
    for (const stored of [
      '',
      'plain',
      'scrypt$x$8$1$aa$bb',
      'scrypt$1024$8$1$aa$',
      'bcrypt$1$2$3$4$5',
      'scrypt$4194304$8$1$aaaa$' + 'a'.repeat(43),
    ]) {
      expect(await verifyPassword('pw', stored)).toBe(false);
    }
  });

  it('has a dummy hash to check against when the user is missing', async () => {
    const d = await dummyPasswordHash();
    expect(d).toMatch(/^scrypt\$/);
    expect(await dummyPasswordHash()).toBe(d);
  });
});

describe('tokens', () => {
  it('are 256 random bits, stored as sha256 hex', () => {
    const t = newToken();
    expect(t).toMatch(/^[\w-]{43}$/);
    expect(newToken()).not.toBe(t);
    expect(hashToken(t)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashToken(t)).not.toContain(t);
  });
});
