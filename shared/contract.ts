/**
 * The zod-free half of the wire contract: error codes, header names, paths, and every view and REST
 * type. The pages import this file (and type-only imports of protocol.ts), so zod never reaches their
 * bundles. The schemas and the command table are in protocol.ts; people read docs/protocol.md.
 */
import type { SessionSettings } from './protocol.ts';

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
  /** The slide id is not a slide of the session's variant. */
  slideNotFound: 'slide_not_found',
  /** The question id is not in the session's course. */
  questionNotFound: 'question_not_found',
  /** The round id does not name the session's current round. */
  roundNotFound: 'round_not_found',
  /** The round is not open, so it takes no vote and cannot be closed again. */
  roundNotOpen: 'round_not_open',
  /** The round has already been revealed. */
  roundAlreadyRevealed: 'round_already_revealed',
  /** The participant joined beyond the expected headcount and waits for the presenter's approval. */
  participantNotAdmitted: 'participant_not_admitted',
  /** The presenter removed this participant from the session. */
  participantRemoved: 'participant_removed',
  /** The vote came over a connection the phone has since replaced; it was not counted. */
  staleConnection: 'stale_connection',
  /** The choice is not one of the round's options. */
  invalidChoice: 'invalid_choice',
  /** The course or variant does not exist. */
  courseNotFound: 'course_not_found',
  /** The group is not one of the session's groups. */
  groupNotFound: 'group_not_found',
  /** The variant has no items for this test. */
  testNotAvailable: 'test_not_available',
  /** A test is already running in the session. */
  testAlreadyOpen: 'test_already_open',
  /** The test run id does not name the session's test. */
  testNotFound: 'test_not_found',
  /** The test is closed: no more answers. */
  testNotOpen: 'test_not_open',
  /** The participant has submitted the test: the answers are final. */
  testAlreadySubmitted: 'test_already_submitted',
  /** Too many requests from this address or participant (audience questions too); `retryAfterMs` says when to try again. */
  rateLimited: 'rate_limited',
  /** The request body is larger than the server accepts. */
  payloadTooLarge: 'payload_too_large',
  /** A write request whose body is not JSON. */
  unsupportedMediaType: 'unsupported_media_type',
  /** The server is shutting down; the command did not run. */
  shuttingDown: 'shutting_down',
  /** The session has ended: it takes no joins, moves or votes; its results stay. */
  sessionEnded: 'session_ended',
  /** The request needs the organizer's admin login (the cookie), which is missing or expired. */
  adminRequired: 'admin_required',
  /** A state-changing request came without the login's CSRF token header, or with a wrong one. */
  csrfRejected: 'csrf_rejected',
  /** Too many wrong passwords in a short time; wait a minute. */
  tooManyAttempts: 'too_many_attempts',
  /** The id does not name an audience question this sender may see. */
  qaQuestionNotFound: 'qa_question_not_found',
  /** The participant has upvoted this audience question already, or asked it. */
  alreadyUpvoted: 'already_upvoted',
  /** No discussion timer started at that time is running (it was stopped or replaced). */
  timerNotRunning: 'timer_not_running',
  /**
   * The session is run by another node of the cluster (or by none right now); nothing was done.
   * `owner` names the node when known: ask `GET /api/sessions/:code/home` and go there.
   */
  moved: 'moved',
  /** Something failed on the server; nothing was changed. */
  internal: 'internal_error',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

export interface ErrorBody {
  code: ErrorCode;
  message: string;
  /** With rate_limited: how long to wait before trying again. */
  retryAfterMs?: number;
  /** With moved: the node that runs the session now, when known. */
  owner?: SessionHome;
}

/**
 * The node that runs a session (GET /api/sessions/:code/home, and `owner` of a moved error). Clients
 * keep their origin and send `node=<nodeId>` (NODE_QUERY_PARAM) with the session's socket and
 * requests, so the router (HAProxy) takes them to that node; `url` is the node's own address.
 */
export interface SessionHome {
  nodeId: string;
  url: string;
}

/** The query parameter naming the node a session's socket and requests are for. */
export const NODE_QUERY_PARAM = 'node';
/** The acknowledgement of every command: the result, or why nothing changed. */
export type Ack<T> = { ok: true; data: T } | { ok: false; error: ErrorBody };
export type AckCallback<T> = (response: Ack<T>) => void;

/** Join codes: 6 characters from an uppercase alphabet without look-alikes (no 0/O, 1/I/L, 2/Z, 5/S, 8/B). */
export const JOIN_CODE_ALPHABET = 'ACDEFGHJKMNPQRTUVWXY3467' as const;
export const JOIN_CODE_LENGTH = 6;

/** The id of the deck's first slide, the title with the join QR, which belongs to no chapter. */
export const TITLE_SLIDE_ID = 'title';

/** Capability keys travel in these headers, never in a URL a server or proxy would log. */
export const PRESENTER_KEY_HEADER = 'x-presenter-key';
export const ORGANIZER_KEY_HEADER = 'x-organizer-key';
/** Every state-changing admin request carries the login's CSRF token in this header. */
export const CSRF_TOKEN_HEADER = 'x-csrf-token';

/**
 * The id of the JSON data block (`<script type="application/json">`, never executed) in which the
 * served join page carries `Ack<PublicSessionInfo>`, so the form needs no GET of its own.
 */
export const SESSION_INFO_BLOCK_ID = 'kotae-session-info';

/** The REST paths of a session, as the pages call them. */
export const apiPaths = {
  session: (code: string) => `/api/sessions/${code}`,
  /** Which node runs the session (SessionHome); any node answers it. */
  home: (code: string) => `/api/sessions/${code}/home`,
  participants: (code: string) => `/api/sessions/${code}/participants`,
  reachabilityCheck: (code: string) => `/api/sessions/${code}/reachability-check`,
  deck: (code: string) => `/api/sessions/${code}/deck`,
  notes: (code: string) => `/api/sessions/${code}/notes`,
  /** The join QR; with a group number (1, 2, …), the join link that preselects that group. */
  qr: (code: string, groupNumber?: number) => `/api/sessions/${code}/qr.svg${groupNumber === undefined ? '' : `?group=${groupNumber}`}`,
  consoleQr: (code: string) => `/api/sessions/${code}/console-qr.svg`,
  results: (code: string) => `/api/sessions/${code}/results`,
  resultsCsv: (code: string) => `/api/sessions/${code}/results.csv`,
  resultsXlsx: (code: string) => `/api/sessions/${code}/results.xlsx`,
  resultsJson: (code: string) => `/api/sessions/${code}/results.json`,
  live: (code: string) => `/api/sessions/${code}/live`,
  adminLogin: '/api/admin/login',
  adminLogout: '/api/admin/logout',
  adminMe: '/api/admin/me',
  adminSessions: '/api/admin/sessions',
  adminSession: (code: string) => `/api/admin/sessions/${code}`,
  adminEnd: (code: string) => `/api/admin/sessions/${code}/end`,
  adminPresenterLink: (code: string) => `/api/admin/sessions/${code}/presenter-link`,
  sessions: '/api/sessions',
  courses: '/api/admin/courses',
} as const;

/** The discussion timer runs 1 to 5 minutes. */
export const TIMER_MINUTES = { min: 1, max: 5 } as const;
/** An audience question is 1 to 200 characters. */
export const QA_TEXT_MAX = 200;

/** Who a socket speaks for. */
export type Role = 'presenter' | 'participant';

/** One answer option as phones and the projector show it. */
export interface OptionView {
  key: string;
  /** ○, × or the choice letter: what tells options apart without colour. */
  symbol: string;
  /** The words beside the symbol, e.g. 正しい. */
  text: string;
}

/** How an option is named on a button or a bar, e.g. 「○ 正しい」. */
export function optionLabel(option: OptionView): string {
  return `${option.symbol} ${option.text}`;
}

export type RoundStatus = 'open' | 'closed' | 'revealed';

/** An answer to a test item: ○ or ×. */
export type TestChoice = 'o' | 'x';
/** The knowledge test after the lecture, or the pre-test at the start. */
export type TestKind = 'post' | 'pre';

/** What a round's reveal shows: the answer, 解説, and for a case the court's outcome and the lesson. */
export interface RevealView {
  answer: string;
  explanation: string;
  /** What the court decided, for a 「失敗から教訓」 case. */
  outcome: string | null;
  lesson: string | null;
}

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
  reveal: RevealView | null;
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

/** The counts of one group (班) in a round. */
export interface GroupTally {
  group: string;
  counts: Record<string, number>;
  voted: number;
}

/** How the room moved from the previous round of the same question to this one. */
export interface RoundShift {
  previousNumber: number;
  previousCounts: Record<string, number>;
  previousVoted: number;
  /** Participants who voted in both rounds, and those of them who changed their answer. */
  votedBoth: number;
  changed: number;
  /** Changes by direction, e.g. { from: 'x', to: 'o', count: 4 }, largest first. */
  transitions: Array<{ from: string; to: string; count: number }>;
  /** The same per group, when the session has groups. */
  groups: Array<{ group: string; votedBoth: number; changed: number }>;
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
  /** Per group, when the session has groups (empty otherwise). */
  groups: GroupTally[];
  /** For a re-vote: the previous round and who changed their answer. */
  shift: RoundShift | null;
}

/** The knowledge test (or pre-test) as a phone sees it: its own answers, and its own result once closed. */
export interface ParticipantTestView {
  runId: string;
  kind: TestKind;
  status: 'open' | 'closed';
  items: Array<{ id: string; prompt: string }>;
  answers: Record<string, TestChoice>;
  /** The item the phone is on; items.length is the review-and-submit step. */
  position: number;
  submitted: boolean;
  /** Only once the test is closed, and only this participant's. */
  result: {
    score: number;
    total: number;
    missed: Array<{ itemId: string; prompt: string; answer: TestChoice; yourChoice: TestChoice | null; explanation: string; basis: string | null }>;
  } | null;
}

/** The result of a closed test as the projector shows it: never anyone's own score. */
export interface TestStatsView {
  scored: number;
  /** histogram[s]: how many participants scored s. */
  histogram: number[];
  mean: number;
  median: number;
  /** Correct rate per item, weakest first. */
  items: Array<{ itemId: string; prompt: string; rate: number }>;
  /** Mean score per group, when the session has groups. */
  groups: Array<{ group: string; scored: number; mean: number }>;
  /** Top scores by nickname (「匿名」 without one), only when the session turned the leaderboard on. */
  leaderboard: Array<{ nickname: string; score: number }> | null;
}

/** The share of correct answers before (pre-test) and after (test) on the items both asked, 0–1. */
export interface PrePostGainView {
  pre: number;
  post: number;
  items: Array<{ itemId: string; prompt: string; pre: number; post: number }>;
}

/** A test run as the projector shows it. */
export interface PresenterTestView {
  runId: string;
  kind: TestKind;
  status: 'open' | 'closed';
  itemCount: number;
  /** Participants who submitted, and who have answered at least one item. */
  submitted: number;
  answering: number;
  participants: number;
  stats: TestStatsView | null;
  /** On the closed test, when a pre-test was closed before it. */
  gain: PrePostGainView | null;
}

export type SessionState = 'lobby' | 'live' | 'ended';

export interface SessionSummary {
  code: string;
  title: string;
  courseId: string;
  variantId: string;
  state: SessionState;
  /** The client organization, '' when none. */
  clientName: string;
  /** When it starts, Japan time (YYYY-MM-DDTHH:mm), or null. */
  startsAt: string | null;
  isRehearsal: boolean;
  isDemo: boolean;
}

/** Where the deck is. `slideId` null: the session has not started (the title slide). */
export interface DeckPosition {
  slideId: string | null;
  chapterId: string | null;
  chapterTitle: string | null;
}

/** The discussion timer: screens count down locally to `endsAt` (server clock, ms since the epoch). */
export interface TimerView {
  minutes: number;
  startedAt: number;
  endsAt: number;
}

/** The discussion timer as phones get it, with the server's clock so a phone's own clock does not matter. */
export interface TimerAnnouncement {
  timer: TimerView | null;
  serverNow: number;
}

export type QaStatus = 'pending' | 'approved' | 'hidden' | 'answered';

/** An audience question (Q&A): text typed by a participant, always shown as text, never as HTML. */
export interface QaQuestionView {
  id: string;
  text: string;
  /** The asker's nickname when they chose to show it; null when asked anonymously. */
  nickname: string | null;
  upvotes: number;
  status: QaStatus;
  isPinned: boolean;
  askedAt: string;
}

/**
 * What every presenter screen shows over the slides, and the presenter's live settings. Persisted
 * with the session, so a reloaded screen or a restarted server shows exactly the same.
 */
export interface StageView {
  /** The join QR overlay, for latecomers. */
  joinQr: boolean;
  blackScreen: boolean;
  timer: TimerView | null;
  /** The audience question shown large on the projector. */
  pinnedQuestion: QaQuestionView | null;
  /** Setting: the projector hides counts and percentages while a round is open (the response count stays). */
  hideResultsWhileOpen: boolean;
  /** Setting: audience questions reach other phones only once the presenter approves them. */
  moderateQuestions: boolean;
  /** The server's clock when this was sent: screens count down from deadlines with their offset to it. */
  serverNow: number;
}

/** One line of the variant's plan: a chapter or a break/Q&A slot, with its planned and spent time. */
export interface PacingPart {
  id: string;
  title: string;
  kind: 'chapter' | 'break';
  plannedMinutes: number;
  /** Time the deck spent in it before its latest move (the running stretch is `current`). */
  spentMs: number;
  /** When the deck first entered it (server clock); a break counts down from here. */
  firstEnteredAt: number | null;
}

/** Pacing against the plan, from the server's log of deck moves. */
export interface PacingView {
  /** When the deck first left the title slide; null before. */
  startedAt: number | null;
  totalMinutes: number;
  parts: PacingPart[];
  /** The part the deck is in and since when its time runs (add now − since to its spentMs). */
  current: { partId: string; since: number } | null;
}

/** Everything a phone needs to render, sent on every (re)connect. */
export interface ParticipantSnapshot {
  session: SessionSummary;
  participant: { id: string; nickname: string | null; status: 'admitted' | 'pending' };
  deck: DeckPosition;
  /** The round the room is on now, or null between questions. */
  round: ParticipantRoundView | null;
  /** This participant's recorded vote on that round, if any: the truth a phone shows. */
  myChoice: string | null;
  /** The test the room is on (shown when no round is), with this participant's attempt. */
  test: ParticipantTestView | null;
  timer: TimerAnnouncement;
  /** The audience questions phones may see (approved and answered; pending too without pre-moderation). */
  qa: QaQuestionView[];
  /** This participant's own questions, whatever their status. */
  myQuestions: QaQuestionView[];
  /** The ids of the questions this participant has upvoted. */
  myUpvotes: string[];
}

/** Everything the projector needs to render, sent on connect and after each change of state. */
export interface PresenterSnapshot {
  session: SessionSummary;
  joinUrl: string;
  deck: DeckPosition;
  round: PresenterRoundView | null;
  /** The latest run of each test, for the test slides. */
  tests: { pre: PresenterTestView | null; post: PresenterTestView | null };
  /** The session's groups (班), in order; empty without groups. */
  groups: string[];
  /** Admitted participants: those whose votes count. */
  participants: number;
  connectedParticipants: number;
  /** Joins waiting for approval beyond the expected headcount, and joins in the last minute. */
  pendingParticipants: number;
  joinsLastMinute: number;
  expectedParticipants: number;
  stage: StageView;
  /** Every audience question, whatever its status, for moderation. */
  qa: QaQuestionView[];
  pacing: PacingView;
}

/** A participant as the presenter lists them for approving or removing. */
export interface ParticipantListEntry {
  id: string;
  nickname: string | null;
  group: string | null;
  status: 'admitted' | 'pending';
  joinedAt: string;
  /** Rounds this participant has a vote in. */
  votes: number;
}

/** What approving or removing changed. */
export interface ParticipantsChanged {
  changed: number;
  /** Votes that dropped out of tallies (removing only). */
  votesDiscarded: number;
}

/** The answer to a vote: what was recorded. */
export interface VoteRecorded {
  roundId: string;
  choice: string;
}

/** Events the server sends. */
export interface ServerToClientEvents {
  /** to one participant: the full state, on connect and when the deck returns to an earlier round. */
  'participant:synced': (snapshot: ParticipantSnapshot) => void;
  /** to all participants: the round opened, closed, was revealed, or the deck left it (null). */
  'round:changed': (round: ParticipantRoundView | null) => void;
  /** to presenters: every move of the deck; to participants: a move into another chapter. */
  'deck:changed': (deck: DeckPosition) => void;
  /** to presenters: the full state, on connect and after every change but votes and moves. */
  'presenter:synced': (snapshot: PresenterSnapshot) => void;
  /** to presenters: the tally of the current round (with its groups' counts), at most a few times a second. */
  'tally:changed': (tally: Tally & { groups: GroupTally[] }) => void;
  /** to all participants: a test opened (no one's answers in it yet). */
  'test:changed': (test: ParticipantTestView) => void;
  /** to everyone in the session: it has ended; phones show that it is over, results stay. */
  'session:ended': (session: SessionSummary) => void;
  /** to presenters: an overlay, the timer, the pinned question or a live setting changed. */
  'stage:changed': (stage: StageView) => void;
  /** to participants: the discussion timer started or stopped. */
  'timer:changed': (announcement: TimerAnnouncement) => void;
  /** to presenters: every audience question; to participants: those they may see. At most a few times a second. */
  'qa:changed': (questions: QaQuestionView[]) => void;
  /**
   * to everyone of a session this node has stopped running (its lease was lost, the node is unhealthy
   * or shutting down): ask `home` again and reconnect there. The server closes the socket right after.
   */
  'session:moved': (moved: { owner?: SessionHome }) => void;
}

/** The answer to POST /api/sessions: the only time the keys are shown. */
export interface CreatedSession {
  session: SessionSummary;
  presenterKey: string;
  organizerKey: string;
  urls: { presenter: string; console: string; organizer: string; join: string };
}

/** The answer to a join: the token the phone keeps in localStorage. */
export interface Joined {
  participantId: string;
  token: string;
}

/** GET /api/sessions/:code: what a phone may know before joining. */
export interface PublicSessionInfo {
  session: SessionSummary;
  courseTitle: string;
  /** The groups a participant picks from when joining; empty without groups. */
  groups: string[];
  /** named: the join form asks for a name and a join needs one. */
  participation: 'anonymous' | 'named';
  /** The node that runs the session, when one can now: the phone's socket then needs no `home` first. */
  home?: SessionHome;
}

/** The answer to a test command: where this participant's attempt stands. */
export interface TestProgress {
  runId: string;
  answers: Record<string, TestChoice>;
  position: number;
  submitted: boolean;
}

/**
 * A slide of the deck as the projector builds it. Speaker notes are not here: they are only in
 * SpeakerNotes, which the console fetches.
 */
export type DeckSlide =
  | { kind: 'content'; id: string; markdown: string }
  | { kind: 'question'; id: string; question: DeckQuestion }
  | { kind: 'test'; id: string; testKind: TestKind; itemCount: number }
  /** A break or Q&A slot of the plan, counting down to its planned end. */
  | { kind: 'break'; id: string; label: string; minutes: number };

/** GET /api/sessions/:code/notes (presenter key): the speaker notes by slide id, for the console. */
export interface SpeakerNotes {
  notes: Record<string, string>;
}

/** GET /api/sessions/:code/deck (presenter key): the slides of the session's variant. */
export interface DeckPayload {
  session: SessionSummary;
  courseTitle: string;
  subtitle: string | null;
  presenter: string | null;
  variant: { id: string; title: string; totalMinutes: number };
  joinUrl: string;
  /** The parts of the plan in order: chapters, and break/Q&A slots with their one slide. */
  chapters: Array<{
    id: string;
    kind: 'chapter' | 'break';
    title: string;
    number: number | null;
    plannedMinutes: number;
    slides: DeckSlide[];
  }>;
}

/** A question as the projector shows it on its slide; the reveal part stays hidden until revealed. */
export interface DeckQuestion {
  id: string;
  kind: 'ox' | 'case';
  prompt: string;
  facts: string | null;
  /** The court and date of a case; its outcome is part of the reveal. */
  caseLabel: string | null;
  options: OptionView[];
  reveal: RevealView;
  basis: string;
}

/** A participant as the results show them: numbered in join order, never by id or token. */
export interface ResultParticipant {
  /** 1, 2, … in the order they joined. */
  number: number;
  /** Only when the participant gave one. */
  nickname: string | null;
  /** The group (班) the participant belongs to, when groups are used. */
  group: string | null;
  /** Japan time, ISO 8601 with +09:00. */
  joinedAt: string;
}

/** One round of a question in the results, with every participant's committed vote. */
export interface ResultRound {
  roundId: string;
  questionId: string;
  kind: 'ox' | 'case';
  /** 1 for the first asking, 2 for the re-vote after discussion, … */
  number: number;
  /** The chapter whose slide asks the question, when the variant has it. */
  chapterId: string | null;
  chapterTitle: string | null;
  /** The court and date of a 「失敗から教訓」 case, null for ○× questions. */
  caseName: string | null;
  prompt: string;
  options: OptionView[];
  answer: string | null;
  explanation: string;
  lesson: string | null;
  status: RoundStatus;
  /** Japan time, ISO 8601 with +09:00. */
  openedAt: string;
  closedAt: string | null;
  counts: Record<string, number>;
  voted: number;
  /** Votes for the correct answer. */
  correct: number | null;
  /** Each voter's committed choice, by participant number. */
  votes: Array<{ participant: number; choice: string }>;
}

/** One participant's score in one closed test run. */
export interface TestScore {
  runId: string;
  kind: TestKind;
  participant: number;
  score: number;
  total: number;
  /** Japan time, ISO 8601 with +09:00; null when the run closed before the participant submitted. */
  submittedAt: string | null;
}

/** GET /api/sessions/:code/results (organizer key or admin login): the session, its participants and rounds. */
export interface ResultsPayload {
  session: SessionSummary;
  settings: SessionSettings;
  courseTitle: string;
  variantTitle: string;
  /** The URL phones join with, for the printed poster. */
  joinUrl: string;
  /** Japan time, ISO 8601 with +09:00. */
  createdAt: string;
  participants: number;
  roster: ResultParticipant[];
  /** Rounds with no vote that the deck closed by moving on: leftovers, not results. */
  skippedRounds: number;
  /** The session's groups (班), in order; empty without groups. */
  groups: string[];
  /** Every closed run of the knowledge test and the pre-test, oldest first, with its distribution and gain. */
  tests: PresenterTestView[];
  /** Each participant's score in each closed test run. */
  testScores: TestScore[];
  rounds: ResultRound[];
  /** Every audience question of the session (Q&A), oldest first, with its upvotes and status. */
  qa: QaQuestionView[];
}

/** GET /api/sessions/:code/live (organizer key or admin login): what the organizer's live view shows. */
export interface LiveView {
  session: SessionSummary;
  participants: number;
  connectedParticipants: number;
  chapterTitle: string | null;
  round: { questionId: string; prompt: string; number: number; status: RoundStatus; voted: number } | null;
  reachability: Reachability;
}

/**
 * The venue pre-flight: the address phones will use, and when a phone last proved it can reach the
 * server by opening the check URL (on the venue Wi-Fi, before the seminar).
 */
export interface Reachability {
  joinUrl: string;
  /** The join URL with ?check=1: opened on a phone, it checks the way and ticks the organizer page. */
  checkUrl: string;
  /** The join URL names this machine only (localhost, 127.x): phones cannot reach it. */
  isLocalOnly: boolean;
  /** Japan time of the last check from another device; null before any. */
  checkedAt: string | null;
}

/** GET /api/admin/me: whether this browser is logged in, and the token its state-changing requests carry. */
export interface AdminStatus {
  isLoggedIn: boolean;
  csrfToken: string | null;
}

/** A row of the all-sessions page. */
export interface AdminSessionRow {
  session: SessionSummary;
  settings: SessionSettings;
  courseTitle: string;
  variantTitle: string;
  /** Japan time, ISO 8601 with +09:00. */
  createdAt: string;
  participants: number;
  rounds: number;
  votes: number;
}

/** GET /api/admin/courses: what the create form offers. */
export interface CourseChoice {
  id: string;
  title: string;
  defaultVariant: string;
  variants: Array<{ id: string; title: string }>;
}

/** POST /api/admin/sessions/:code/presenter-link: a new presenter URL (the previous one stops working). */
export interface PresenterLink {
  presenter: string;
}
