import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from '../../server/config.ts';

describe('configuration', () => {
  it('runs out of the box with the documented defaults', () => {
    expect(loadConfig({})).toEqual({
      port: 3000,
      host: '0.0.0.0',
      publicUrl: undefined,
      dataDir: path.resolve('data'),
      databaseUrl: undefined,
      nodeId: `${os.hostname()}-3000`,
      nodeUrl: undefined,
      coursesDir: path.resolve('slides'),
      demoCourse: 'kasuhara',
      joinsPerMinutePerAddress: 600,
      trustProxy: undefined,
      tls: undefined,
      adminPassword: undefined,
      retentionSweepMinutes: 60,
      diagnostics: 'off',
      endedSessionUnloadSeconds: 60,
      idleSessionUnloadMinutes: 15,
    });
  });

  it('stores in PostgreSQL when DATABASE_URL gives a postgres:// URL, and refuses anything else', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://kotae@db.example:5432/kotae' }).databaseUrl).toBe('postgres://kotae@db.example:5432/kotae');
    expect(loadConfig({ DATABASE_URL: 'postgresql://kotae@db.example/kotae' }).databaseUrl).toBe('postgresql://kotae@db.example/kotae');
    expect(() => loadConfig({ DATABASE_URL: 'mysql://kotae@db.example/kotae' })).toThrow(/DATABASE_URL/);
  });

  it('names the node NODE_ID (a safe backend name) and NODE_URL, without a trailing slash', () => {
    expect(loadConfig({ NODE_ID: 'kotae-1', NODE_URL: 'http://10.0.0.11:3000/' })).toMatchObject({ nodeId: 'kotae-1', nodeUrl: 'http://10.0.0.11:3000' });
    expect(() => loadConfig({ NODE_ID: 'kotae 1' })).toThrow(/NODE_ID/);
    expect(() => loadConfig({ NODE_URL: 'ftp://10.0.0.11' })).toThrow(/NODE_URL/);
  });

  it('takes the unload delays of idle sessions in seconds (ended) and minutes (not ended), from 1 up', () => {
    expect(loadConfig({ ENDED_SESSION_UNLOAD_SECONDS: '2', IDLE_SESSION_UNLOAD_MINUTES: '30' })).toMatchObject({ endedSessionUnloadSeconds: 2, idleSessionUnloadMinutes: 30 });
    expect(() => loadConfig({ ENDED_SESSION_UNLOAD_SECONDS: '0' })).toThrow(/ENDED_SESSION_UNLOAD_SECONDS/);
    expect(() => loadConfig({ IDLE_SESSION_UNLOAD_MINUTES: 'soon' })).toThrow(/IDLE_SESSION_UNLOAD_MINUTES/);
  });

  it('serves HTTPS only with both a certificate and its key', () => {
    expect(loadConfig({ TLS_CERT: 'cert.pem', TLS_KEY: 'key.pem' }).tls).toEqual({ certFile: path.resolve('cert.pem'), keyFile: path.resolve('key.pem') });
    expect(() => loadConfig({ TLS_CERT: 'cert.pem' })).toThrow(/TLS_CERT, TLS_KEY/);
  });

  it('believes a proxy only when told how many hops or which addresses to trust', () => {
    expect(loadConfig({ TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ TRUST_PROXY: 'loopback' }).trustProxy).toBe('loopback');
    expect(() => loadConfig({ TRUST_PROXY: 'everyone' })).toThrow(/TRUST_PROXY/);
  });

  it('refuses an admin password shorter than 8 characters', () => {
    expect(() => loadConfig({ ADMIN_PASSWORD: 'short' })).toThrow(/ADMIN_PASSWORD/);
    expect(loadConfig({ ADMIN_PASSWORD: 'long enough' }).adminPassword).toBe('long enough');
  });

  it('names the variable when a value is invalid', () => {
    expect(() => loadConfig({ PORT: 'abc' })).toThrow(ConfigError);
    expect(() => loadConfig({ PORT: '70000' })).toThrow(/PORT/);
    expect(() => loadConfig({ PUBLIC_URL: 'ftp://x' })).toThrow(/PUBLIC_URL/);
  });

  it('drops a trailing slash from PUBLIC_URL', () => {
    expect(loadConfig({ PUBLIC_URL: 'https://seminar.example.jp/' }).publicUrl).toBe('https://seminar.example.jp');
  });
});
