/** Real socket.io clients speaking to a test server, and helpers to wait for what they receive. */
import { io, type Socket } from 'socket.io-client';
import type { Ack, Joined, ParticipantSnapshot, PresenterSnapshot, ServerToClientEvents } from '../../shared/contract.ts';
import type { ClientToServerEvents, HandshakeAuth } from '../../shared/protocol.ts';

export type ClientSocket = Socket<ServerToClientEvents, ClientToServerEvents>;

export function connect(baseUrl: string, auth: HandshakeAuth | Record<string, unknown>): ClientSocket {
  return io(baseUrl, { auth, transports: ['websocket'], forceNew: true, reconnection: false });
}

/** Resolves with the next `event` whose payload passes `accept`. */
export function nextEvent<E extends keyof ServerToClientEvents>(
  socket: ClientSocket,
  event: E,
  accept: (payload: Parameters<ServerToClientEvents[E]>[0]) => boolean = () => true,
  timeoutMs = 5000,
): Promise<Parameters<ServerToClientEvents[E]>[0]> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      socket.off(event, listener as never);
      reject(new Error(`no ${event} within ${timeoutMs} ms`));
    }, timeoutMs);
    const listener = (payload: Parameters<ServerToClientEvents[E]>[0]): void => {
      if (!accept(payload)) return;
      clearTimeout(timer);
      socket.off(event, listener as never);
      resolve(payload);
    };
    socket.on(event, listener as never);
  });
}

export function connectError(socket: ClientSocket): Promise<Error & { data?: { code?: string } }> {
  return new Promise((resolve) => socket.once('connect_error', resolve));
}

export async function connectPresenter(baseUrl: string, code: string, key: string): Promise<{ socket: ClientSocket; snapshot: PresenterSnapshot }> {
  const socket = connect(baseUrl, { role: 'presenter', code, key });
  const snapshot = await nextEvent(socket, 'presenter:synced');
  return { socket, snapshot };
}

export async function joinSession(baseUrl: string, code: string, nickname?: string, group?: string): Promise<Joined> {
  const response = await fetch(`${baseUrl}/api/sessions/${code}/participants`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ nickname, group }),
  });
  const json = (await response.json()) as { ok: boolean; data: Joined };
  if (!json.ok) throw new Error(`join failed: ${JSON.stringify(json)}`);
  return json.data;
}

export interface TestParticipant {
  socket: ClientSocket;
  token: string;
  participantId: string;
  snapshot: ParticipantSnapshot;
}

export async function connectParticipant(baseUrl: string, code: string, token: string): Promise<{ socket: ClientSocket; snapshot: ParticipantSnapshot }> {
  const socket = connect(baseUrl, { role: 'participant', code, token });
  const snapshot = await nextEvent(socket, 'participant:synced');
  return { socket, snapshot };
}

export async function joinParticipant(baseUrl: string, code: string, nickname?: string, group?: string): Promise<TestParticipant> {
  const joined = await joinSession(baseUrl, code, nickname, group);
  const { socket, snapshot } = await connectParticipant(baseUrl, code, joined.token);
  return { socket, token: joined.token, participantId: joined.participantId, snapshot };
}

export function closeAll(sockets: Array<{ disconnect(): unknown } | undefined>): void {
  for (const socket of sockets) socket?.disconnect();
}

/** The data of a successful acknowledgement; a refusal fails the test's set-up with its error. */
export function requireOk<T>(ack: Ack<T>): T {
  if (!ack.ok) throw new Error(`refused: ${ack.error.code} ${ack.error.message}`);
  return ack.data;
}
