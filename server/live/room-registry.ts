/**
 * The running sessions: creates a session, loads its room from storage on first use and keeps it
 * while it is used, unloads it once nobody is connected and it has been idle, and authenticates
 * presenters, organizers and participants against the room it holds. In a cluster it loads only the
 * sessions this node owns, and drops those it loses.
 */
import { randomBytes } from 'node:crypto';
import { nanoid } from 'nanoid';
import { ErrorCode, type Ack, type SessionHome } from '../../shared/contract.ts';
import { SessionSettings, type SessionSettingsInput } from '../../shared/protocol.ts';
import type { CourseCatalog } from '../course/course-catalog.ts';
import { findVariant, testItemsOfVariant } from '../course/course-catalog.ts';
import { DeckPlan } from '../course/deck-plan.ts';
import type { Participant } from '../domain/participant.ts';
import { joinCodeFrom } from '../domain/session.ts';
import { isPastRetention } from '../domain/session.ts';
import { EMPTY_STAGE } from '../domain/stage.ts';
import type { Logger } from '../logger.ts';
import type { SessionListing, Storage, StoredSession } from '../storage/storage.ts';
import { hashSecret, isSecretValid, newSecret } from './secrets.ts';
import { readRoomState, SessionRoom, type Clock, type ReadonlyRoom, type RoomNotifier } from './session-room.ts';
import { SessionMovedError, type SessionOwnership } from './session-ownership.ts';

/** What anyone may read of a session without its room: its stored row and its course. */
export type PublicSessionView = Pick<ReadonlyRoom, 'session' | 'course'>;

export interface CreateSessionCommand {
  courseId: string;
  variantId?: string | undefined;
  title?: string | undefined;
  settings?: SessionSettingsInput | undefined;
}

/** A new session with its keys: the only time they exist in clear. */
export interface CreatedKeys {
  session: StoredSession;
  presenterKey: string;
  organizerKey: string;
}

/** How long a room nobody is connected to stays loaded after its last use, in ms. */
export interface UnloadDelays {
  /** For a session that has ended. */
  endedMs: number;
  /** For a session that has not ended (lobby or live). */
  runningMs: number;
}

export interface RoomRegistryDeps {
  storage: Storage;
  catalog: CourseCatalog;
  clock: Clock;
  notifier: RoomNotifier;
  logger: Logger;
  /** Which sessions this node may run (all of them, alone; those it holds the lease of, in a cluster). */
  ownership: SessionOwnership;
  /** How many sockets (phones and presenter screens) are connected to a room now. */
  connectedSockets(room: ReadonlyRoom): number;
  unloadDelays: UnloadDelays;
}

export class RoomRegistry {
  private readonly rooms = new Map<string, SessionRoom>();
  /** Rooms being read from storage, by join code: a second find while one loads waits for the same load. */
  private readonly loading = new Map<string, Promise<SessionRoom | undefined>>();
  /** When each loaded room was last found, or last left by a socket (clock time), by join code. */
  private readonly lastUsedAt = new Map<string, number>();

  constructor(private readonly deps: RoomRegistryDeps) {}

  /** How many rooms are loaded in memory now. */
  get heldCount(): number {
    return this.rooms.size;
  }

  async create(command: CreateSessionCommand): Promise<Ack<CreatedKeys>> {
    const course = this.deps.catalog.get(command.courseId);
    if (!course) return { ok: false, error: { code: ErrorCode.courseNotFound, message: `no course "${command.courseId}"` } };
    const variantId = command.variantId ?? course.manifest.defaultVariant;
    const variant = findVariant(course, variantId);
    if (!variant) {
      return { ok: false, error: { code: ErrorCode.courseNotFound, message: `course "${command.courseId}" has no variant "${variantId}"` } };
    }
    const presenterKey = newSecret();
    const organizerKey = newSecret();
    const session: StoredSession = {
      id: nanoid(16),
      code: await this.unusedJoinCode(),
      title: command.title ?? `${course.manifest.title}｜${variant.title}`,
      courseId: course.manifest.id,
      variantId,
      state: 'lobby',
      currentSlideId: null,
      currentRoundId: null,
      currentTestRunId: null,
      settings: SessionSettings.parse(command.settings ?? {}),
      stage: EMPTY_STAGE,
      createdAt: this.deps.clock.now(),
      presenterKeyHash: hashSecret(presenterKey),
      organizerKeyHash: hashSecret(organizerKey),
    };
    try {
      await this.deps.storage.commit([{ kind: 'session-inserted', session }]);
    } catch (error) {
      this.deps.logger.error({ err: error }, 'a new session could not be saved');
      return { ok: false, error: { code: ErrorCode.internal, message: 'the session could not be saved' } };
    }
    this.deps.logger.info({ session: session.code, course: session.courseId, variant: session.variantId }, 'session created');
    return { ok: true, data: { session, presenterKey, organizerKey } };
  }

  /**
   * What anyone may read of the session with this join code (its stored settings and course), on any
   * node: from the room when this node holds it, else from storage, without loading a room. The join
   * page and the join QR codes use it, so a phone that scanned a code is answered wherever the router
   * sends it first.
   */
  async findPublic(code: string): Promise<PublicSessionView | undefined> {
    const held = this.rooms.get(code);
    if (held) return held;
    const session = await this.deps.storage.sessions.findByCode(code);
    const course = session && this.deps.catalog.get(session.courseId);
    return session && course ? { session, course } : undefined;
  }

  /**
   * The node that runs the session with this join code (given to a node first when none does), for
   * `GET /api/sessions/:code/home`.
   */
  async homeOf(code: string): Promise<Ack<SessionHome>> {
    const session = await this.deps.storage.sessions.findByCode(code);
    if (!session) return { ok: false, error: { code: ErrorCode.sessionNotFound, message: 'この参加コードの開催は見つかりません' } };
    const home = this.rooms.has(code) ? this.deps.ownership.self : await this.deps.ownership.home(session.id);
    if (home) return { ok: true, data: home };
    return { ok: false, error: { code: ErrorCode.moved, message: 'no node can run this session right now; try again in a few seconds' } };
  }

  /**
   * The room of the session with this join code, loaded from storage on first use. Finds that overlap
   * while the room is loading share the load, so everyone gets the same room object. Rejects with
   * SessionMovedError when another node runs the session.
   */
  find(code: string): Promise<SessionRoom | undefined> {
    const held = this.rooms.get(code);
    if (held) {
      this.lastUsedAt.set(code, this.deps.clock.now());
      return Promise.resolve(held);
    }
    let loading = this.loading.get(code);
    if (!loading) {
      loading = this.load(code).finally(() => this.loading.delete(code));
      this.loading.set(code, loading);
    }
    return loading;
  }

  private async load(code: string): Promise<SessionRoom | undefined> {
    const session = await this.deps.storage.sessions.findByCode(code);
    const course = session && this.deps.catalog.get(session.courseId);
    const variant = session && course && findVariant(course, session.variantId);
    if (!session || !course || !variant) return undefined;
    const acquired = await this.deps.ownership.acquire(session.id);
    if (!acquired.ok) throw new SessionMovedError(code, acquired.owner);
    const state = await readRoomState(this.deps.storage, session);
    const room = new SessionRoom(course, DeckPlan.of(course, variant, session.settings), testItemsOfVariant(course, variant), state, {
      storage: this.deps.storage,
      clock: this.deps.clock,
      notifier: this.deps.notifier,
      logger: this.deps.logger,
      newId: () => nanoid(12),
    });
    this.deps.logger.info({ session: code, participants: room.participantCount, rounds: room.rounds.length }, 'session loaded');
    this.rooms.set(code, room);
    this.lastUsedAt.set(code, this.deps.clock.now());
    return room;
  }

  /** A socket of the room left: its idle time starts now (a command it sent may still be finishing). */
  markUsed(room: ReadonlyRoom): void {
    const code = room.session.code;
    if (this.rooms.get(code) === room) this.lastUsedAt.set(code, this.deps.clock.now());
  }

  /**
   * Unloads every room nobody is connected to that has not been used for its delay (UnloadDelays),
   * once every write it accepted is committed; the next find() reads it fresh from storage. A room found
   * again, or connected to, while its writes were committing stays loaded. Answers how many were unloaded.
   */
  async unloadIdleRooms(): Promise<number> {
    let unloaded = 0;
    for (const room of [...this.rooms.values()].filter((candidate) => this.isIdle(candidate))) {
      if (await this.unload(room)) unloaded += 1;
    }
    return unloaded;
  }

  private async unload(room: SessionRoom): Promise<boolean> {
    await room.settled();
    // Whoever found the room meanwhile holds this object: it must stay the one the registry gives out.
    if (this.rooms.get(room.session.code) !== room || !this.isIdle(room)) return false;
    this.drop(room.session.code);
    await this.releaseLease(room);
    this.deps.logger.info({ session: room.session.code, state: room.session.state, participants: room.participantCount, rounds: room.rounds.length }, 'session unloaded');
    return true;
  }

  private isIdle(room: SessionRoom): boolean {
    if (this.deps.connectedSockets(room) > 0) return false;
    const delay = room.session.state === 'ended' ? this.deps.unloadDelays.endedMs : this.deps.unloadDelays.runningMs;
    return this.deps.clock.now() - (this.lastUsedAt.get(room.session.code) ?? -Infinity) >= delay;
  }

  private drop(code: string): void {
    this.rooms.delete(code);
    this.lastUsedAt.delete(code);
  }

  /** Lets another node run the session from now on; a failure only delays that until this node's lease expires. */
  private async releaseLease(room: SessionRoom): Promise<void> {
    await this.deps.ownership
      .release([room.session.id])
      .catch((error: unknown) => this.deps.logger.error({ err: error, session: room.session.code }, 'a session lease could not be handed back'));
  }

  /**
   * Drops the rooms of sessions this node no longer runs (their lease was taken over, or the node
   * stopped serving): their clients are told to ask `home` again. Nothing of theirs is committed any more.
   */
  dropMoved(sessionIds: readonly string[]): void {
    const lost = new Set(sessionIds);
    for (const room of [...this.rooms.values()].filter((held) => lost.has(held.session.id))) {
      this.drop(room.session.code);
      this.deps.notifier.sessionMoved(room);
      this.deps.logger.warn({ session: room.session.code }, 'session dropped: another node runs it now');
    }
  }

  /** Drops every room: this node stopped serving (see dropMoved). */
  dropAllMoved(): void {
    this.dropMoved([...this.rooms.values()].map((room) => room.session.id));
  }

  /**
   * Hands every room back (graceful shutdown): each one's accepted writes are committed, its lease is
   * released, then its clients are told to ask `home` again, which now names another node. Call it once
   * the node takes no new commands.
   */
  async handBackAll(): Promise<void> {
    const held = [...this.rooms.values()];
    await Promise.all(held.map((room) => room.settled()));
    for (const room of held) this.drop(room.session.code);
    await this.deps.ownership
      .release(held.map((room) => room.session.id))
      .catch((error: unknown) => this.deps.logger.error({ err: error }, 'sessions could not be handed back; other nodes take them once this one has left'));
    for (const room of held) this.deps.notifier.sessionMoved(room);
  }

  isPresenter(room: SessionRoom, key: string): boolean {
    return isSecretValid(key, room.session.presenterKeyHash);
  }

  isOrganizer(room: SessionRoom, key: string): boolean {
    return isSecretValid(key, room.session.organizerKeyHash);
  }

  /** The participant a phone's token names in this room, as the room knows them now, if any. */
  participantOf(room: SessionRoom, token: string): Participant | undefined {
    return room.participantByTokenHash(hashSecret(token));
  }

  /** Every stored session, newest first, with its counts. */
  list(): Promise<SessionListing[]> {
    return this.deps.storage.sessions.list();
  }

  /**
   * Deletes the session and everything about it, and drops its room: its sockets are disconnected and
   * its code no longer names anything.
   */
  async delete(room: SessionRoom): Promise<Ack<null>> {
    await room.settled();
    try {
      await this.deps.storage.commit([{ kind: 'session-deleted', sessionId: room.session.id }], room.session.id);
    } catch (error) {
      this.deps.logger.error({ err: error, session: room.session.code }, 'a session could not be deleted');
      return { ok: false, error: { code: ErrorCode.internal, message: 'the session could not be deleted; nothing was changed' } };
    }
    this.drop(room.session.code);
    this.deps.notifier.sessionDeleted(room);
    await this.deps.ownership
      .forget(room.session.id)
      .catch((error: unknown) => this.deps.logger.error({ err: error, session: room.session.code }, 'the lease of a deleted session could not be removed'));
    this.deps.logger.info({ session: room.session.code }, 'session deleted');
    return { ok: true, data: null };
  }

  /** Deletes every session whose retention period has passed; answers how many. */
  async deleteExpired(): Promise<number> {
    const now = this.deps.clock.now();
    let deleted = 0;
    for (const { session } of await this.list()) {
      if (!isPastRetention(session, now)) continue;
      // A session another node runs is that node's to delete.
      const room = await this.find(session.code).catch((error: unknown) => {
        if (error instanceof SessionMovedError) return undefined;
        throw error;
      });
      if (room && (await this.delete(room)).ok) deleted += 1;
    }
    return deleted;
  }

  /** A new presenter key for the session; the previous one stops working for new connections. */
  async reissuePresenterKey(room: SessionRoom): Promise<Ack<string>> {
    const presenterKey = newSecret();
    const presenterKeyHash = hashSecret(presenterKey);
    try {
      await this.deps.storage.commit([{ kind: 'presenter-key-saved', sessionId: room.session.id, presenterKeyHash }], room.session.id);
    } catch (error) {
      this.deps.logger.error({ err: error, session: room.session.code }, 'a new presenter key could not be saved');
      return { ok: false, error: { code: ErrorCode.internal, message: 'the new key could not be saved; the old one still works' } };
    }
    room.session = { ...room.session, presenterKeyHash };
    return { ok: true, data: presenterKey };
  }

  private async unusedJoinCode(): Promise<string> {
    for (;;) {
      const code = joinCodeFrom((count) => randomBytes(count));
      if (!(await this.deps.storage.sessions.findByCode(code))) return code;
    }
  }
}
