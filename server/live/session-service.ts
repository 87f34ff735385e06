/**
 * Runs sessions: keeps each active session's state in memory as a cache of the database, asks the
 * domain for decisions, persists them, then tells the transports what changed.
 */
import { randomBytes } from 'node:crypto';
import { nanoid } from 'nanoid';
import type { Course } from '../../shared/course.ts';
import { ErrorCode, type DeckPosition } from '../../shared/protocol.ts';
import { findChapterOfSlide, findQuestion, findVariant, optionsOf, type CourseCatalog } from '../course/course-catalog.ts';
import { allow, refuse, type Decision } from '../domain/domain-error.ts';
import { castVote, closeRound, openRound, revealRound, type Round, type Vote } from '../domain/poll.ts';
import { joinCodeFrom, moveDeck } from '../domain/session.ts';
import type { Participant } from '../storage/participant.repository.ts';
import type { StoredSession } from '../storage/session.repository.ts';
import type { Storage } from '../storage/storage.ts';
import { buildResults } from '../export/results.ts';
import type { ResultsPayload } from '../../shared/protocol.ts';
import { hashSecret, isSecretValid, newSecret } from './secrets.ts';

export interface Clock {
  now(): number;
}

/** The running state of one session. */
export interface LiveSession {
  session: StoredSession;
  course: Course;
  /** Every round asked so far, oldest first; the last one is the current round. */
  rounds: Round[];
  /** The committed votes of the current round: participant id -> choice. */
  votes: Map<string, string>;
  participantCount: number;
}

/** What the transports are told after a change has been committed. */
export interface SessionNotifier {
  roundChanged(live: LiveSession): void;
  deckChanged(live: LiveSession, chapterChanged: boolean): void;
  votesChanged(live: LiveSession): void;
  participantsChanged(live: LiveSession): void;
}

export interface CreateSessionCommand {
  courseId: string;
  variantId?: string | undefined;
  title?: string | undefined;
}

export interface CreatedKeys {
  session: StoredSession;
  presenterKey: string;
  organizerKey: string;
}

export function currentRound(live: LiveSession): Round | null {
  return live.rounds.at(-1) ?? null;
}

export function deckPosition(live: LiveSession): DeckPosition {
  const slideId = live.session.currentSlideId;
  const chapter = slideId ? findChapterOfSlide(live.course, slideId) : undefined;
  return { slideId, chapterId: chapter?.id ?? null, chapterTitle: chapter?.title ?? null };
}

const internalError = { code: ErrorCode.internal, message: 'the change could not be saved; nothing was changed' };

export class SessionService {
  private readonly liveSessions = new Map<string, LiveSession>();
  notifier: SessionNotifier | null = null;

  constructor(
    private readonly storage: Storage,
    private readonly catalog: CourseCatalog,
    private readonly clock: Clock,
  ) {}

  createSession(command: CreateSessionCommand): Decision<CreatedKeys> {
    const course = this.catalog.get(command.courseId);
    if (!course) return refuse(ErrorCode.courseNotFound, `no course "${command.courseId}"`);
    const variantId = command.variantId ?? course.manifest.defaultVariant;
    const variant = findVariant(course, variantId);
    if (!variant) return refuse(ErrorCode.courseNotFound, `course "${command.courseId}" has no variant "${variantId}"`);

    const presenterKey = newSecret();
    const organizerKey = newSecret();
    const session: StoredSession = {
      id: nanoid(16),
      code: this.unusedJoinCode(),
      title: command.title ?? `${course.manifest.title}｜${variant.title}`,
      courseId: course.manifest.id,
      variantId,
      state: 'lobby',
      currentSlideId: null,
      createdAt: this.clock.now(),
      presenterKeyHash: hashSecret(presenterKey),
      organizerKeyHash: hashSecret(organizerKey),
    };
    this.storage.sessions.insert(session);
    return allow({ session, presenterKey, organizerKey });
  }

  /** The live state of the session with this join code, loaded from storage on first use. */
  findByCode(code: string): LiveSession | undefined {
    const cached = this.liveSessions.get(code);
    if (cached) return cached;
    const session = this.storage.sessions.findByCode(code);
    if (!session) return undefined;
    const course = this.catalog.get(session.courseId);
    if (!course) return undefined;
    const live: LiveSession = { session, course, ...this.readRunningState(session.id) };
    this.liveSessions.set(code, live);
    return live;
  }

  private readRunningState(sessionId: string): Pick<LiveSession, 'rounds' | 'votes' | 'participantCount'> {
    const rounds = this.storage.polls.roundsOf(sessionId);
    const round = rounds.at(-1);
    const votes = new Map(round ? this.storage.polls.votesOf(round.id).map((vote) => [vote.participantId, vote.choice]) : []);
    return { rounds, votes, participantCount: this.storage.participants.countInSession(sessionId) };
  }

  findForPresenter(code: string, presenterKey: string): LiveSession | undefined {
    const live = this.findByCode(code);
    return live && isSecretValid(presenterKey, live.session.presenterKeyHash) ? live : undefined;
  }

  findForOrganizer(code: string, organizerKey: string): LiveSession | undefined {
    const live = this.findByCode(code);
    return live && isSecretValid(organizerKey, live.session.organizerKeyHash) ? live : undefined;
  }

  findParticipant(live: LiveSession, token: string): Participant | undefined {
    return this.storage.participants.findByToken(live.session.id, hashSecret(token));
  }

  /** Adds a participant; resolves once stored, so a crowd scanning the QR at once shares commits. */
  async join(live: LiveSession, nickname: string | undefined): Promise<Decision<{ participant: Participant; token: string }>> {
    const token = newSecret();
    const participant: Participant = {
      id: nanoid(12),
      sessionId: live.session.id,
      nickname: nickname && nickname.length > 0 ? nickname : null,
      joinedAt: this.clock.now(),
    };
    live.participantCount += 1;
    const saved = await this.persist(live, () => this.storage.participants.insert(participant, hashSecret(token)));
    if (!saved) return { ok: false, error: internalError };
    this.notifier?.participantsChanged(live);
    return allow({ participant, token });
  }

  async goTo(live: LiveSession, slideId: string): Promise<Decision<DeckPosition>> {
    const chapter = findChapterOfSlide(live.course, slideId);
    if (!chapter) return refuse(ErrorCode.invalidPayload, `slide "${slideId}" is not in the course`);
    const previousChapterId = deckPosition(live).chapterId;
    live.session = { ...live.session, ...moveDeck(live.session, slideId) };
    const moved = live.session;
    const saved = await this.persist(live, () => this.storage.sessions.savePosition(moved));
    if (!saved) return { ok: false, error: internalError };
    const position = deckPosition(live);
    this.notifier?.deckChanged(live, position.chapterId !== previousChapterId);
    return allow(position);
  }

  async openPoll(live: LiveSession, questionId: string): Promise<Decision<Round>> {
    const question = findQuestion(live.course, questionId);
    if (!question) return refuse(ErrorCode.questionNotFound, `no question "${questionId}" in the course`);
    const now = this.clock.now();
    const previous = currentRound(live);
    const closedPrevious = previous?.status === 'open' ? closeRound(previous, previous.id, now) : null;
    const round = openRound(
      {
        id: nanoid(12),
        sessionId: live.session.id,
        questionId,
        optionKeys: optionsOf(question).map((option) => option.key),
        earlierRounds: live.rounds,
      },
      now,
    );
    if (closedPrevious?.ok) live.rounds[live.rounds.length - 1] = closedPrevious.value;
    live.rounds.push(round);
    live.votes = new Map();
    const saved = await this.persist(live, () => {
      if (closedPrevious?.ok) this.storage.polls.updateRound(closedPrevious.value);
      this.storage.polls.insertRound(round);
    });
    if (!saved) return { ok: false, error: internalError };
    this.notifier?.roundChanged(live);
    return allow(round);
  }

  closePoll(live: LiveSession, roundId: string): Promise<Decision<Round>> {
    return this.changeRound(live, closeRound(currentRound(live), roundId, this.clock.now()));
  }

  revealPoll(live: LiveSession, roundId: string): Promise<Decision<Round>> {
    return this.changeRound(live, revealRound(currentRound(live), roundId, this.clock.now()));
  }

  /** Records a vote; resolves once it is committed, which is when it may be acknowledged. */
  async castVote(live: LiveSession, participantId: string, roundId: string, choice: string): Promise<Decision<Vote>> {
    const decision = castVote(currentRound(live), participantId, roundId, choice, this.clock.now());
    if (!decision.ok) return decision;
    const vote = decision.value;
    const saved = await this.persist(live, () => this.storage.polls.saveVote(vote));
    if (!saved) return { ok: false, error: internalError };
    if (currentRound(live)?.id === vote.roundId) {
      live.votes.set(vote.participantId, vote.choice);
      this.notifier?.votesChanged(live);
    }
    return decision;
  }

  /** Every round of the session with its committed votes, for the organizer. */
  resultsOf(live: LiveSession, joinUrl: string): ResultsPayload {
    const rounds = this.storage.polls.roundsOf(live.session.id).map((round) => ({
      round,
      choices: this.storage.polls.votesOf(round.id).map((vote) => vote.choice),
    }));
    return buildResults(live.session, live.course, joinUrl, live.participantCount, rounds);
  }

  private async changeRound(live: LiveSession, decision: Decision<Round>): Promise<Decision<Round>> {
    if (!decision.ok) return decision;
    const round = decision.value;
    live.rounds[live.rounds.length - 1] = round;
    const saved = await this.persist(live, () => this.storage.polls.updateRound(round));
    if (!saved) return { ok: false, error: internalError };
    this.notifier?.roundChanged(live);
    return decision;
  }

  /**
   * Commits a write whose change the caller has already made in memory: a command changes the live
   * state at once, so the next command (a vote after a close, a second open) sees it, and its write
   * queues behind every write accepted before it. When the commit fails, the live state is read back
   * from disk into the same object, which every socket of the session shares.
   */
  private async persist(live: LiveSession, write: () => void): Promise<boolean> {
    try {
      await this.storage.batcher.run(write);
      return true;
    } catch (error) {
      console.error('kotae: write failed; reloading the session from disk', error);
      const stored = this.storage.sessions.findById(live.session.id);
      if (stored) live.session = stored;
      Object.assign(live, this.readRunningState(live.session.id));
      return false;
    }
  }

  private unusedJoinCode(): string {
    for (;;) {
      const code = joinCodeFrom((count) => randomBytes(count));
      if (!this.storage.sessions.findByCode(code)) return code;
    }
  }
}
