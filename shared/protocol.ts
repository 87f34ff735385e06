/**
 * The wire contract between the server and every client: each Socket.IO event in both directions and
 * each REST payload, as zod schemas with the TypeScript types inferred from them.
 * Documented for people in docs/protocol.md.
 */
import { z } from 'zod';
import type { OptionView } from './option-view.ts';

/** Stable error codes, answered in `{ ok: false, error: { code, message } }`. */
export const ErrorCode = {
  /** The payload does not match the event's or endpoint's schema. */
  invalidPayload: 'invalid_payload',
  /** The join code does not name a session. */
  sessionNotFound: 'session_not_found',
  /** A presenter or organizer key is missing or wrong, or a participant token is unknown. */
  unauthorized: 'unauthorized',
  /** The socket's role may not send this event. */
  forbidden: 'forbidden',
  /** The question id is not in the session's course. */
  questionNotFound: 'question_not_found',
  /** The round id does not name the session's current round. */
  roundNotFound: 'round_not_found',
  /** The round is not open, so it takes no vote and cannot be closed again. */
  roundNotOpen: 'round_not_open',
  /** The round has already been revealed. */
  roundAlreadyRevealed: 'round_already_revealed',
  /** The choice is not one of the round's options. */
  invalidChoice: 'invalid_choice',
  /** The course or variant does not exist. */
  courseNotFound: 'course_not_found',
  /** Something failed on the server; nothing was changed. */
  internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
}
/** The acknowledgement of every command: the result, or why nothing changed. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckCallback<T> = (response: Ack<T>) => void;

/** Join codes: 6 characters from an uppercase alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). */
export const JOIN_CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY3467' as const;
export const JOIN_CODE_LENGTH = 6;
export const JoinCode = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`), { error: 'not a join code' }));

const secret = z.string().min(16).max(128);
const entityId = z.string().min(1).max(64);

// ---------------------------------------------------------------------------------------------
// Handshake

/** The `auth` payload of the Socket.IO handshake: who is connecting to which session. */
export const HandshakeAuth = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('presenter'), code: JoinCode, key: secret }),
  z.strictObject({ role: z.literal('participant'), code: JoinCode, token: secret }),
]);
export type HandshakeAuth = z.input<typeof HandshakeAuth>;
export type Role = HandshakeAuth['role'];

// ---------------------------------------------------------------------------------------------
// Commands (client -> server), each answered through an Ack

/** presenter: the deck moved to a slide; phones show the chapter it belongs to. */
export const DeckGoTo = z.strictObject({ slideId: z.string().min(1).max(80) });
/** presenter: ask a question of the course as a new round (closes any open round first). */
export const PollOpen = z.strictObject({ questionId: z.string().min(1).max(80) });
/** presenter: stop taking votes on the round. */
export const PollClose = z.strictObject({ roundId: entityId });
/** presenter: show the correct answer and its 解説 (closes the round if still open). */
export const PollReveal = z.strictObject({ roundId: entityId });
/** participant: vote, or change the vote, on the open round. */
export const VoteCast = z.strictObject({ roundId: entityId, choice: z.string().min(1).max(8) });

export type DeckGoTo = z.infer<typeof DeckGoTo>;
export type PollOpen = z.infer<typeof PollOpen>;
export type PollClose = z.infer<typeof PollClose>;
export type PollReveal = z.infer<typeof PollReveal>;
export type VoteCast = z.infer<typeof VoteCast>;

/** Every inbound event with its payload schema and the role allowed to send it. */
export const commandSchemas = {
  'deck:go-to': { schema: DeckGoTo, role: 'presenter' },
  'poll:open': { schema: PollOpen, role: 'presenter' },
  'poll:close': { schema: PollClose, role: 'presenter' },
  'poll:reveal': { schema: PollReveal, role: 'presenter' },
  'vote:cast': { schema: VoteCast, role: 'participant' },
} as const satisfies Record<string, { schema: z.ZodType; role: Role }>;
export type CommandName = keyof typeof commandSchemas;

// ---------------------------------------------------------------------------------------------
// Views (server -> client)

export type RoundStatus = 'open' | 'closed' | 'revealed';

export type { OptionView } from './option-view.ts';

/** A round as a phone sees it: never the answer before the reveal. */
export interface ParticipantRoundView {
  roundId: string;
  questionId: string;
  kind: 'ox' | 'case';
  /** 1 for the first time the question is asked, 2 for a re-vote after discussion, … */
  number: number;
  prompt: string;
  /** The case facts of a 「失敗から教訓」 question. */
  facts: string | null;
  options: OptionView[];
  status: RoundStatus;
  /** Present only once revealed. */
  reveal: { answer: string; explanation: string; lesson: string | null } | null;
}

/** The live count of a round, as the projector shows it. */
export interface Tally {
  roundId: string;
  /** Votes per option key, every option present (0 when nobody chose it). */
  counts: Record<string, number>;
  /** How many participants have voted. */
  voted: number;
  /** How many participants have joined the session. */
  participants: number;
}

/** A round as the projector sees it. */
export interface PresenterRoundView {
  roundId: string;
  questionId: string;
  number: number;
  status: RoundStatus;
  options: OptionView[];
  answer: string;
  tally: Tally;
}

export interface SessionSummary {
  code: string;
  title: string;
  courseId: string;
  variantId: string;
  state: 'lobby' | 'live' | 'ended';
}

/** Where the deck is, as phones see it. */
export interface DeckPosition {
  slideId: string | null;
  chapterId: string | null;
  chapterTitle: string | null;
}

/** Everything a phone needs to render, sent on every (re)connect. */
export interface ParticipantSnapshot {
  session: SessionSummary;
  participant: { id: string; nickname: string | null };
  deck: DeckPosition;
  round: ParticipantRoundView | null;
  /** This participant's vote on the current round, if any. */
  myChoice: string | null;
}

/** Everything the projector needs to render, sent on connect and after each change of state. */
export interface PresenterSnapshot {
  session: SessionSummary;
  joinUrl: string;
  deck: DeckPosition;
  round: PresenterRoundView | null;
  participants: number;
  connectedParticipants: number;
}

/** Events the server sends. */
export interface ServerToClientEvents {
  /** to one participant: the full state, on connect. */
  'participant:synced': (snapshot: ParticipantSnapshot) => void;
  /** to all participants: the round opened, closed or was revealed (null: no round). */
  'round:changed': (round: ParticipantRoundView | null) => void;
  /** to all participants: the deck moved to another chapter. */
  'deck:changed': (deck: DeckPosition) => void;
  /** to presenters: the full state, on connect and after every change but votes. */
  'presenter:synced': (snapshot: PresenterSnapshot) => void;
  /** to presenters: the tally of the current round, at most a few times a second. */
  'tally:changed': (tally: Tally) => void;
}

/** Events clients send; each is answered through its ack. */
export interface ClientToServerEvents {
  'deck:go-to': (payload: DeckGoTo, ack: AckCallback<DeckPosition>) => void;
  'poll:open': (payload: PollOpen, ack: AckCallback<PresenterRoundView>) => void;
  'poll:close': (payload: PollClose, ack: AckCallback<PresenterRoundView>) => void;
  'poll:reveal': (payload: PollReveal, ack: AckCallback<PresenterRoundView>) => void;
  'vote:cast': (payload: VoteCast, ack: AckCallback<{ roundId: string; choice: string }>) => void;
}

// ---------------------------------------------------------------------------------------------
// REST

/** POST /api/sessions */
export const CreateSessionRequest = z.strictObject({
  course: z.string().min(1).max(64),
  variant: z.string().min(1).max(64).optional(),
  title: z.string().trim().min(1).max(120).optional(),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

/** The answer to POST /api/sessions: the only time the keys are shown. */
export interface CreatedSession {
  session: SessionSummary;
  presenterKey: string;
  organizerKey: string;
  urls: { presenter: string; organizer: string; join: string };
}

/** POST /api/sessions/:code/participants */
export const JoinRequest = z.strictObject({
  nickname: z.string().trim().max(30).optional(),
});
export type JoinRequest = z.infer<typeof JoinRequest>;

/** The answer to a join: the token the phone keeps in localStorage. */
export interface Joined {
  participantId: string;
  token: string;
}

/** GET /api/sessions/:code: what a phone may know before joining. */
export interface PublicSessionInfo {
  session: SessionSummary;
  courseTitle: string;
}

/** GET /api/sessions/:code/deck (presenter key): the slides of the session's variant. */
export interface DeckPayload {
  session: SessionSummary;
  courseTitle: string;
  subtitle: string | null;
  presenter: string | null;
  variant: { id: string; title: string; totalMinutes: number };
  joinUrl: string;
  chapters: Array<{
    id: string;
    title: string;
    number: number | null;
    plannedMinutes: number;
    slides: Array<
      | { kind: 'content'; id: string; markdown: string; notes: string }
      | { kind: 'question'; id: string; notes: string; question: DeckQuestion }
    >;
  }>;
}

/** A question as the projector shows it on its slide, answer included. */
export interface DeckQuestion {
  id: string;
  kind: 'ox' | 'case';
  prompt: string;
  facts: string | null;
  caseLabel: string | null;
  options: OptionView[];
  answer: string;
  explanation: string;
  lesson: string | null;
  basis: string;
}

/** GET /api/sessions/:code/results (organizer key): every round of the session with its tally. */
export interface ResultsPayload {
  session: SessionSummary;
  courseTitle: string;
  /** The URL phones join with, for the printed poster. */
  joinUrl: string;
  createdAt: string;
  participants: number;
  rounds: Array<{
    roundId: string;
    questionId: string;
    number: number;
    prompt: string;
    options: OptionView[];
    answer: string | null;
    status: RoundStatus;
    openedAt: string;
    counts: Record<string, number>;
    voted: number;
    /** Votes for the correct answer. */
    correct: number | null;
  }>;
}
