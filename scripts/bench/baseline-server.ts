/**
 * The bench's baseline: a bare Socket.IO 4.8 server with kotae's Engine.IO settings that answers the
 * same generator with the same events and payload shapes, but validates nothing and stores nothing. A
 * vote is acknowledged as soon as it arrives; the tally is counted in memory and pushed on the same
 * 100 ms throttle. What kotae costs on top of Socket.IO is the gap between the two, measured in the
 * same run. Started by the bench as a child process (`node --import tsx scripts/bench/baseline-server.ts`)
 * with PORT and HOST, and answers the same diagnostics over IPC as the real server.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Server, type Socket } from 'socket.io';
import type { ParticipantRoundView, ParticipantSnapshot, Tally } from '../../shared/contract.ts';
import { createIpcDiagnostics, NO_DIAGNOSTICS } from '../../server/diagnostics.ts';
import { SOCKET_SERVER_OPTIONS } from '../../server/transport/socket/socket-server.ts';
import { KeyedThrottle } from '../../server/transport/socket/throttle.ts';

/** As kotae's broadcaster: the first change at once, then at most one tally per interval. */
const TALLY_INTERVAL_MS = 100;
const OPTIONS = [
  { key: 'o', symbol: '○', text: '正しい' },
  { key: 'x', symbol: '×', text: '誤り' },
];
const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const prompts = new Map(
  (JSON.parse(fs.readFileSync(path.join(root, 'slides', 'kasuhara', 'questions.json'), 'utf8')) as Array<{ id: string; prompt: string }>).map(
    (question) => [question.id, question.prompt],
  ),
);

interface BaselineSession {
  code: string;
  presenterKey: string;
  /** token -> participant id */
  participants: Map<string, string>;
  round: ParticipantRoundView | null;
  /** participant id -> choice, in the current round */
  votes: Map<string, string>;
}

type SocketData = { role: 'presenter'; session: BaselineSession } | { role: 'participant'; session: BaselineSession; participantId: string };

const sessions = new Map<string, BaselineSession>();
const diagnostics = process.send ? createIpcDiagnostics(process) : NO_DIAGNOSTICS;
const newId = (): string => randomBytes(9).toString('base64url');

function sendJson(response: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  response.writeHead(status, { 'Content-Type': 'application/json', ...headers });
  response.end(JSON.stringify(body));
}

function readBody(request: http.IncomingMessage): Promise<void> {
  return new Promise((resolve) => {
    request.resume();
    request.on('end', resolve);
  });
}

/** The three REST calls the generator makes: the organizer's login, a new session, a phone's join. */
async function handleRequest(request: http.IncomingMessage, response: http.ServerResponse): Promise<void> {
  await readBody(request);
  const url = request.url ?? '';
  if (request.method === 'POST' && url === '/api/admin/login') {
    return sendJson(response, 200, { ok: true, data: { csrfToken: 'baseline' } }, { 'Set-Cookie': 'baseline=1' });
  }
  if (request.method === 'POST' && url === '/api/sessions') {
    const session: BaselineSession = { code: newId().slice(0, 6).toUpperCase(), presenterKey: newId(), participants: new Map(), round: null, votes: new Map() };
    sessions.set(session.code, session);
    return sendJson(response, 200, { ok: true, data: { session: { code: session.code }, presenterKey: session.presenterKey } });
  }
  const join = /^\/api\/sessions\/([^/]+)\/participants$/.exec(url);
  const session = join && sessions.get(join[1] ?? '');
  if (request.method === 'POST' && session) {
    const participantId = newId();
    const token = newId() + newId();
    session.participants.set(token, participantId);
    return sendJson(response, 200, { ok: true, data: { participantId, token } });
  }
  sendJson(response, 404, { ok: false, error: { code: 'invalid_payload', message: 'no such endpoint' } });
}

function tallyOf(session: BaselineSession, round: ParticipantRoundView): Tally {
  const counts: Record<string, number> = { o: 0, x: 0 };
  for (const choice of session.votes.values()) counts[choice] = (counts[choice] ?? 0) + 1;
  return { roundId: round.roundId, counts, voted: session.votes.size, participants: session.participants.size };
}

const httpServer = http.createServer((request, response) => void handleRequest(request, response));
const io = new Server(httpServer, SOCKET_SERVER_OPTIONS);
const participantsRoom = (session: BaselineSession): string => `participants:${session.code}`;
const presentersRoom = (session: BaselineSession): string => `presenters:${session.code}`;

const tallies = new KeyedThrottle<BaselineSession>(TALLY_INTERVAL_MS, (session) => {
  if (session.round) io.to(presentersRoom(session)).emit('tally:changed', tallyOf(session, session.round));
});

io.use((socket, next) => {
  const auth = socket.handshake.auth as { role?: string; code?: string; token?: string; key?: string };
  const session = sessions.get(auth.code ?? '');
  if (!session) return next(new Error('no such session'));
  if (auth.role === 'presenter' && auth.key === session.presenterKey) {
    socket.data = { role: 'presenter', session } satisfies SocketData;
    return next();
  }
  const participantId = session.participants.get(auth.token ?? '');
  if (auth.role === 'participant' && participantId) {
    socket.data = { role: 'participant', session, participantId } satisfies SocketData;
    return next();
  }
  next(new Error('refused'));
});

io.on('connection', (socket: Socket) => {
  const data = socket.data as SocketData;
  const session = data.session;
  socket.onAny(() => diagnostics.isEnabled && diagnostics.commandReceived(session.code, performance.now()));
  if (data.role === 'presenter') {
    void socket.join(presentersRoom(session));
    socket.emit('presenter:synced', { session: { code: session.code }, round: session.round });
    socket.on('poll:open', (payload: { questionId: string }, ack: (response: unknown) => void) => {
      const round: ParticipantRoundView = {
        roundId: newId(),
        questionId: payload.questionId,
        kind: 'ox',
        number: 1,
        prompt: prompts.get(payload.questionId) ?? payload.questionId,
        facts: null,
        options: OPTIONS,
        status: 'open',
        reveal: null,
      };
      session.round = round;
      session.votes.clear();
      const startedAt = performance.now();
      io.to(participantsRoom(session)).emit('round:changed', round);
      const recipients = io.sockets.adapter.rooms.get(participantsRoom(session))?.size ?? 0;
      diagnostics.fanOut(session.code, 'round:changed', recipients, startedAt, performance.now());
      ack({ ok: true, data: { ...round, tally: tallyOf(session, round) } });
    });
    return;
  }
  void socket.join(participantsRoom(session));
  const snapshot: Pick<ParticipantSnapshot, 'round' | 'myChoice'> & { session: { code: string } } = {
    session: { code: session.code },
    round: session.round,
    myChoice: session.votes.get(data.participantId) ?? null,
  };
  socket.emit('participant:synced', snapshot);
  socket.on('vote:cast', (payload: { roundId: string; choice: string }, ack: (response: unknown) => void) => {
    session.votes.set(data.participantId, payload.choice);
    ack({ ok: true, data: { roundId: payload.roundId, choice: payload.choice } });
    tallies.request(session);
  });
});

diagnostics.countRoomsWith(() => sessions.size);
const port = Number(process.env.PORT ?? 0);
const host = process.env.HOST ?? '127.0.0.1';
httpServer.listen(port, host, () => console.log(`baseline listening on http://${host}:${port}`));
const close = (): void => {
  void io.close();
  process.exit(0);
};
process.on('SIGTERM', close);
process.on('SIGINT', close);
