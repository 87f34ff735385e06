import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { openAdminPassword } from '../../../server/admin/admin-password.ts';
import { makeDataDir } from '../../support/test-app.ts';

describe('the admin password', () => {
  it('is generated on the first start, stored only as a salted scrypt hash, and not shown again', async () => {
    const dataDir = makeDataDir();
    const first = openAdminPassword(dataDir, undefined);
    expect(first.generated).toMatch(/^[a-z2-9]{4}(-[a-z2-9]{4}){3}$/);
    const stored = fs.readFileSync(path.join(dataDir, 'admin-password.json'), 'utf8');
    expect(stored).not.toContain(first.generated);
    expect(JSON.parse(stored)).toMatchObject({ algorithm: 'scrypt', salt: expect.stringMatching(/^[0-9a-f]{32}$/), hash: expect.stringMatching(/^[0-9a-f]{64}$/) });
    expect(fs.statSync(path.join(dataDir, 'admin-password.json')).mode & 0o077).toBe(0);

    const second = openAdminPassword(dataDir, undefined);
    expect(second.generated).toBeNull();
    expect(await second.isValid(first.generated!)).toBe(true);
    expect(await second.isValid(`${first.generated}x`)).toBe(false);
  });

  it('gives two servers different salts for the same password', () => {
    const [a, b] = [makeDataDir(), makeDataDir()].map((dataDir) => {
      openAdminPassword(dataDir, undefined);
      return JSON.parse(fs.readFileSync(path.join(dataDir, 'admin-password.json'), 'utf8')) as { salt: string };
    });
    expect(a?.salt).not.toBe(b?.salt);
  });

  it('takes ADMIN_PASSWORD from the environment over a stored one, and writes nothing', async () => {
    const dataDir = makeDataDir();
    const fromEnvironment = openAdminPassword(dataDir, 'correct horse battery');
    expect(fromEnvironment.generated).toBeNull();
    expect(fs.existsSync(path.join(dataDir, 'admin-password.json'))).toBe(false);
    expect(await fromEnvironment.isValid('correct horse battery')).toBe(true);
    expect(await fromEnvironment.isValid('correct horse')).toBe(false);
  });
});
