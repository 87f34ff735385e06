import { describe, expect, it } from 'vitest';
import { authWhenReady } from '../../../client/lib/socket.ts';
import type { HandshakeAuth } from '../../../shared/protocol.ts';

const AUTH: HandshakeAuth = { role: 'participant', code: 'ABCDEF', token: 't'.repeat(32) };

describe('a handshake whose auth is still to come', () => {
  it('is sent once, by the latest opening of the connection, when the auth arrives', async () => {
    let deliver: (auth: HandshakeAuth) => void = () => undefined;
    const askForAuth = authWhenReady(new Promise<HandshakeAuth>((resolve) => (deliver = resolve)));
    const sent: string[] = [];
    askForAuth(() => sent.push('first connection (closed meanwhile)'));
    askForAuth(() => sent.push('second connection'));
    await Promise.resolve();
    expect(sent).toEqual([]);
    deliver(AUTH);
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent).toEqual(['second connection']);
  });

  it('is sent at once on a reconnection once the auth is there', async () => {
    const askForAuth = authWhenReady(Promise.resolve(AUTH));
    const sent: object[] = [];
    askForAuth((data) => sent.push(data));
    await new Promise((resolve) => setTimeout(resolve, 0));
    askForAuth((data) => sent.push(data));
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(sent).toEqual([AUTH, AUTH]);
  });
});
