import type { NextFunction, Request, Response } from 'express';
import type { z } from 'zod';
import { ErrorCode, type Ack, type ErrorBody, type SessionHome } from '../../../shared/contract.ts';
import { JoinCode } from '../../../shared/protocol.ts';
import type { PublicSessionView, RoomRegistry } from '../../live/room-registry.ts';
import type { SessionRoom } from '../../live/session-room.ts';
import { SessionMovedError } from '../../live/session-ownership.ts';
import type { RateLimiterMemory } from 'rate-limiter-flexible';
import { blockedFor, consume, rateLimited, type RateLimits } from '../rate-limits.ts';

const STATUS_OF: Partial<Record<ErrorBody['code'], number>> = {
  [ErrorCode.invalidPayload]: 400,
  [ErrorCode.unauthorized]: 401,
  [ErrorCode.adminRequired]: 401,
  [ErrorCode.forbidden]: 403,
  [ErrorCode.csrfRejected]: 403,
  [ErrorCode.tooManyAttempts]: 429,
  [ErrorCode.sessionNotFound]: 404,
  [ErrorCode.courseNotFound]: 404,
  [ErrorCode.questionNotFound]: 404,
  [ErrorCode.rateLimited]: 429,
  [ErrorCode.payloadTooLarge]: 413,
  [ErrorCode.unsupportedMediaType]: 415,
  [ErrorCode.shuttingDown]: 503,
  // This node does not run the session; `owner` says which does. Not 421 (Misdirected Request):
  // browsers and Node's fetch resend a 421 on their own, which doubled every refusal.
  [ErrorCode.moved]: 409,
  [ErrorCode.internal]: 500,
};

export function sendData(res: Response, data: unknown, status = 200): void {
  res.status(status).json({ ok: true, data });
}

export function sendError(res: Response, error: ErrorBody): void {
  if (error.retryAfterMs !== undefined) res.set('Retry-After', String(Math.ceil(error.retryAfterMs / 1000)));
  res.status(STATUS_OF[error.code] ?? 409).json({ ok: false, error });
}

/** Answers with a command's Ack: its data with `status`, or its error. */
export function sendAck<T>(res: Response, ack: Ack<T>, status = 200): void {
  if (ack.ok) sendData(res, ack.data, status);
  else sendError(res, ack.error);
}

/** Parses a request body; answers 400 and returns undefined when it does not fit. */
export function parseBody<T>(res: Response, schema: z.ZodType<T>, body: unknown): T | undefined {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  sendError(res, { code: ErrorCode.invalidPayload, message });
  return undefined;
}

/**
 * The room of the session named by the :code parameter, or the error to answer with. Lookups of codes
 * that name no session are limited per address, so codes cannot be enumerated.
 */
export async function lookUpRoom(rooms: RoomRegistry, req: Request, limits: RateLimits): Promise<{ room: SessionRoom } | { error: ErrorBody }> {
  const address = req.ip ?? 'unknown';
  const waitMs = await blockedFor(limits.failedLookup, address);
  if (waitMs !== null) return { error: rateLimited(waitMs) };
  const code = JoinCode.safeParse(req.params.code);
  let room: SessionRoom | undefined;
  try {
    room = code.success ? await rooms.find(code.data) : undefined;
  } catch (error) {
    if (error instanceof SessionMovedError) return { error: movedError(error) };
    throw error;
  }
  if (room) return { room };
  await consume(limits.failedLookup, address);
  return { error: { code: ErrorCode.sessionNotFound, message: 'この参加コードの開催は見つかりません' } };
}

/**
 * What anyone may read of the session named by the :code parameter, answered on any node (see
 * RoomRegistry.findPublic), or the error to answer with; limited like lookUpRoom.
 */
export async function lookUpPublic(rooms: RoomRegistry, req: Request, limits: RateLimits): Promise<{ view: PublicSessionView } | { error: ErrorBody }> {
  const address = req.ip ?? 'unknown';
  const waitMs = await blockedFor(limits.failedLookup, address);
  if (waitMs !== null) return { error: rateLimited(waitMs) };
  const code = JoinCode.safeParse(req.params.code);
  const view = code.success ? await rooms.findPublic(code.data) : undefined;
  if (view) return { view };
  await consume(limits.failedLookup, address);
  return { error: { code: ErrorCode.sessionNotFound, message: 'この参加コードの開催は見つかりません' } };
}

/** The answer to a request for a session another node runs. */
export function movedError(error: SessionMovedError): ErrorBody {
  return { code: ErrorCode.moved, message: error.message, ...(error.owner ? { owner: error.owner } : {}) };
}

/**
 * The node that runs the session named by the :code parameter (`home`), or the error to answer with;
 * unknown codes count against the address like any lookup.
 */
export async function lookUpHome(rooms: RoomRegistry, req: Request, limits: RateLimits): Promise<Ack<SessionHome>> {
  const address = req.ip ?? 'unknown';
  const waitMs = await blockedFor(limits.failedLookup, address);
  if (waitMs !== null) return { ok: false, error: rateLimited(waitMs) };
  const code = JoinCode.safeParse(req.params.code);
  const home = code.success ? await rooms.homeOf(code.data) : undefined;
  if (home && (home.ok || home.error.code !== ErrorCode.sessionNotFound)) return home;
  await consume(limits.failedLookup, address);
  return { ok: false, error: { code: ErrorCode.sessionNotFound, message: 'この参加コードの開催は見つかりません' } };
}

/** The room of the session named by the :code parameter; answers 404 (or 429) and returns undefined when there is none. */
export async function findRoom(rooms: RoomRegistry, req: Request, res: Response, limits: RateLimits): Promise<SessionRoom | undefined> {
  const found = await lookUpRoom(rooms, req, limits);
  if ('room' in found) return found.room;
  sendError(res, found.error);
  return undefined;
}

/** Takes a point of `limiter` for the request's address; answers 429 and returns false when used up. */
export async function allowRequest(limiter: RateLimiterMemory, req: Request, res: Response): Promise<boolean> {
  const waitMs = await consume(limiter, req.ip ?? 'unknown');
  if (waitMs === null) return true;
  sendError(res, rateLimited(waitMs));
  return false;
}

/** A write to the API must carry JSON: anything else is refused with 415 before it is read. */
export function requireJsonWrites(req: Request, res: Response, next: NextFunction): void {
  const hasBody = req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0' || req.headers['transfer-encoding'] !== undefined;
  if (['POST', 'PUT', 'PATCH', 'DELETE'].includes(req.method) && hasBody && !req.is('application/json')) {
    return sendError(res, { code: ErrorCode.unsupportedMediaType, message: 'send the body as application/json' });
  }
  next();
}
