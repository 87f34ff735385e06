/**
 * The schemas of the wire contract: the handshake, the command table (every client -> server event,
 * declared once) and the REST request bodies. The Socket.IO event maps are derived from the table, so
 * an event without a schema, a missing handler or a wrong answer shape does not compile.
 * The zod-free half (codes, views, paths) is contract.ts; people read docs/protocol.md.
 */
import { z } from 'zod';
import { characterCount, cleanText } from './text.ts';
import {
  JOIN_CODE_ALPHABET,
  JOIN_CODE_LENGTH,
  QA_TEXT_MAX,
  TIMER_MINUTES,
  type AckCallback,
  type DeckPosition,
  type PresenterRoundView,
  type PresenterTestView,
  type ParticipantListEntry,
  type ParticipantsChanged,
  type QaQuestionView,
  type Role,
  type StageView,
  type TestProgress,
  type VoteRecorded,
  type SessionSummary,
} from './contract.ts';

export const JoinCode = z
  .string()
  .transform((value) => value.trim().toUpperCase())
  .pipe(z.string().regex(new RegExp(`^[${JOIN_CODE_ALPHABET}]{${JOIN_CODE_LENGTH}}$`), { error: 'not a join code' }));

const secret = z.string().min(16).max(128);

/** Free text from a person: cleaned (shared/text.ts), then limited in characters, not bytes. */
function personText(min: number, max: number) {
  return z
    .string()
    .max(max * 4)
    .transform(cleanText)
    .refine((value) => characterCount(value) >= min && characterCount(value) <= max, { error: `must be ${min}–${max} characters` });
}
const TestKindSchema = z.enum(['post', 'pre']);
const TestChoiceSchema = z.enum(['o', 'x']);
const entityId = z.string().min(1).max(64);
/** A vote's id, made by the phone per tap (16–32 url-safe characters): a resend with the same id is the same vote. */
export const VoteId = z.string().regex(/^[A-Za-z0-9_-]{16,32}$/, { error: 'must be 16 to 32 of A-Z a-z 0-9 _ -' });
const participantIds = z.array(entityId).min(1).max(1000);

/** The `auth` payload of the Socket.IO handshake: who is connecting to which session. */
export const HandshakeAuth = z.discriminatedUnion('role', [
  z.strictObject({ role: z.literal('presenter'), code: JoinCode, key: secret }),
  z.strictObject({ role: z.literal('participant'), code: JoinCode, token: secret }),
]);
export type HandshakeAuth = z.input<typeof HandshakeAuth>;

declare const answerType: unique symbol;

/** One client -> server command: its payload schema, who may send it, and what it answers. */
export interface CommandSpec<Schema extends z.ZodType, SenderRole extends Role, Answer> {
  schema: Schema;
  role: SenderRole;
  /** Never set: carries the answer type for the compiler. */
  readonly [answerType]?: Answer;
}

function command<Answer>() {
  return <Schema extends z.ZodType, SenderRole extends Role>(schema: Schema, role: SenderRole): CommandSpec<Schema, SenderRole, Answer> => ({
    schema,
    role,
  });
}

/** A partial change that must change something: an empty one is refused rather than answered as a no-op. */
function atLeastOne<Schema extends z.ZodObject>(schema: Schema) {
  return schema.refine((value) => Object.values(value).some((field) => field !== undefined), { error: 'name at least one field to change' });
}

/** Every command, declared once. Names are `noun:verb`. */
export const commands = {
  /** presenter: move the deck; the server applies the deck and round rules (README, Decisions). */
  'deck:go-to': command<DeckPosition>()(z.strictObject({ slideId: z.string().min(1).max(80) }), 'presenter'),
  /** presenter: ask a question as a new round, a re-vote when it was asked before (closes an open round first). */
  'poll:open': command<PresenterRoundView>()(z.strictObject({ questionId: z.string().min(1).max(80) }), 'presenter'),
  /** presenter: stop taking votes on the round. */
  'poll:close': command<PresenterRoundView>()(z.strictObject({ roundId: entityId }), 'presenter'),
  /** presenter: show the correct answer and its 解説 (closes the round if still open). */
  'poll:reveal': command<PresenterRoundView>()(z.strictObject({ roundId: entityId }), 'presenter'),
  /** participant: vote, or change the vote, on the open round. */
  'vote:cast': command<VoteRecorded>()(z.strictObject({ roundId: entityId, choice: z.string().min(1).max(8), voteId: VoteId.optional() }), 'participant'),
  /** presenter: start the knowledge test (post) or the pre-test on every phone. */
  'test:open': command<PresenterTestView>()(z.strictObject({ kind: TestKindSchema }), 'presenter'),
  /** presenter: close the test; every phone then shows its own score and the 解説 of the items it missed. */
  'test:close': command<PresenterTestView>()(z.strictObject({ runId: entityId }), 'presenter'),
  /** participant: answer (or change the answer to) an item; saved at once. */
  'test:answer': command<TestProgress>()(z.strictObject({ runId: entityId, itemId: z.string().min(1).max(80), choice: TestChoiceSchema }), 'participant'),
  /** participant: go to an item or to the review step (position = item count), so a reload resumes there. */
  'test:move': command<TestProgress>()(z.strictObject({ runId: entityId, position: z.number().int().min(0).max(200) }), 'participant'),
  /** participant: submit the answers; they are final. */
  'test:submit': command<TestProgress>()(z.strictObject({ runId: entityId }), 'participant'),
  /** presenter: end the session (the console's last button): joins close, phones say so, results stay. */
  'session:end': command<SessionSummary>()(z.strictObject({ confirm: z.literal('end') }), 'presenter'),
  /** presenter: every participant with their status, group and vote count, for approving and removing. */
  'participant:list': command<ParticipantListEntry[]>()(z.strictObject({}), 'presenter'),
  /** presenter: admit participants waiting beyond the expected headcount (all of them with `all`). */
  'participant:approve': command<ParticipantsChanged>()(z.strictObject({ participantIds: z.union([z.literal('all'), participantIds]) }), 'presenter'),
  /** presenter: remove participants; their votes and test answers drop out of every tally. */
  'participant:remove': command<ParticipantsChanged>()(z.strictObject({ participantIds }), 'presenter'),
  /** presenter: show or hide the join QR overlay or the black screen on every presenter screen. */
  'stage:set': command<StageView>()(atLeastOne(z.strictObject({ joinQr: z.boolean().optional(), blackScreen: z.boolean().optional() })), 'presenter'),
  /** presenter: change the live settings (results hidden while a round is open, Q&A pre-moderation). */
  'settings:set': command<StageView>()(
    atLeastOne(z.strictObject({ hideResultsWhileOpen: z.boolean().optional(), moderateQuestions: z.boolean().optional() })),
    'presenter',
  ),
  /** presenter: start the discussion timer (replaces a running one). */
  'timer:start': command<StageView>()(z.strictObject({ minutes: z.number().int().min(TIMER_MINUTES.min).max(TIMER_MINUTES.max) }), 'presenter'),
  /** presenter: stop and hide the discussion timer started at `startedAt` (a stale stop leaves a newer timer running). */
  'timer:stop': command<StageView>()(z.strictObject({ startedAt: z.number().int().nonnegative() }), 'presenter'),
  /** participant: send an audience question, anonymously or with the nickname (length and rate limited). */
  'qa:ask': command<QaQuestionView>()(
    z.strictObject({ text: personText(1, QA_TEXT_MAX), withNickname: z.boolean() }),
    'participant',
  ),
  /** participant: upvote another participant's audience question, once. */
  'qa:upvote': command<QaQuestionView>()(z.strictObject({ questionId: entityId }), 'participant'),
  /** presenter: approve, hide, mark answered (or return to pending) an audience question. */
  'qa:moderate': command<QaQuestionView>()(
    z.strictObject({ questionId: entityId, status: z.enum(['pending', 'approved', 'hidden', 'answered']) }),
    'presenter',
  ),
  /** presenter: show an audience question large on the projector (pinned: true), or take it off (false). */
  'qa:pin': command<StageView>()(z.strictObject({ questionId: entityId, pinned: z.boolean() }), 'presenter'),
} satisfies Record<string, CommandSpec<z.ZodType, Role, unknown>>;

export type Commands = typeof commands;
export type CommandName = keyof Commands;
/** What a client sends. */
export type CommandPayload<Name extends CommandName> = z.input<Commands[Name]['schema']>;
/** What a handler receives, once parsed. */
export type ParsedPayload<Name extends CommandName> = z.output<Commands[Name]['schema']>;
export type CommandAnswer<Name extends CommandName> = Commands[Name] extends CommandSpec<z.ZodType, Role, infer Answer> ? Answer : never;
export type CommandRole<Name extends CommandName> = Commands[Name]['role'];

/** Events clients send, derived from the command table; each is answered through its ack. */
export type ClientToServerEvents = {
  [Name in CommandName]: (payload: CommandPayload<Name>, ack: AckCallback<CommandAnswer<Name>>) => void;
};

/**
 * A session's settings, chosen when it is created. Stored as one JSON document; every field has a
 * default, so a setting added later reads the same from sessions stored before it.
 */
export const SessionSettings = z.strictObject({
  /** The names of the session's groups (班), in order; none when the room is not split into groups. */
  groups: z.array(personText(1, 20)).max(30).default([]),
  /** A short pre-test at the start, drawn from the test's items, to show the gain at the end. */
  prePost: z.boolean().default(false),
  /**
   * The headcount the organizer expects. Joins beyond it (plus 10 %, at least 5) wait for the
   * presenter's approval, so one script cannot speak for the room. Default 100.
   */
  expectedParticipants: z.number().int().min(1).max(20_000).default(100),
  /** How many top scores the projector lists by nickname after the test; 0 (the default): none. */
  leaderboard: z.number().int().min(0).max(10).default(0),
  /** The client organization the seminar is held for (shown on the title slide, poster and report); '' when none. */
  clientName: personText(0, 80).default(''),
  /** When the seminar starts, Japan time, as YYYY-MM-DDTHH:mm; null when not set. */
  startsAt: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}$/, { error: 'must be YYYY-MM-DDTHH:mm (Japan time)' })
    .nullable()
    .default(null),
  /** Where it is held; '' when not set. */
  venue: personText(0, 80).default(''),
  /** Who lectures; '' when not set (the course's presenter is shown instead). */
  lecturer: personText(0, 60).default(''),
  /** anonymous: a nickname is optional; named: the phone asks for a name and a join needs one. */
  participation: z.enum(['anonymous', 'named']).default('anonymous'),
  /** A rehearsal is marked as such everywhere, so its results are not mistaken for a real seminar's. */
  isRehearsal: z.boolean().default(false),
  /** The demo session `npm start` opens (reset with `npm run demo:reset`). */
  isDemo: z.boolean().default(false),
  /** The venue Wi-Fi printed on the join poster; '' for no Wi-Fi instructions. */
  wifiName: personText(0, 64).default(''),
  wifiPassword: z.string().max(64).default(''),
  /** Days after the session's creation when all its data is deleted; null keeps it until deleted by hand. */
  retentionDays: z.number().int().min(1).max(3650).nullable().default(null),
  /** The projector hides counts and percentages while a round is open, so early answers do not steer later ones. */
  hideResultsWhileOpen: z.boolean().default(false),
  /** Audience questions reach other phones only once the presenter approves them. */
  moderateQuestions: z.boolean().default(false),
});
export type SessionSettings = z.infer<typeof SessionSettings>;
/** Settings as a request gives them: every field optional. */
export type SessionSettingsInput = z.input<typeof SessionSettings>;

/** POST /api/sessions */
export const CreateSessionRequest = z.strictObject({
  course: z.string().min(1).max(64),
  variant: z.string().min(1).max(64).optional(),
  title: personText(1, 120).optional(),
  settings: SessionSettings.optional(),
});
export type CreateSessionRequest = z.infer<typeof CreateSessionRequest>;

/** POST /api/sessions/:code/participants */
export const JoinRequest = z.strictObject({
  nickname: personText(0, 30).optional(),
  /** One of the session's groups; required when the session has groups. */
  group: personText(1, 20).optional(),
});
export type JoinRequest = z.infer<typeof JoinRequest>;

/** POST /api/admin/login */
export const AdminLoginRequest = z.strictObject({
  password: z.string().min(1).max(200),
});
