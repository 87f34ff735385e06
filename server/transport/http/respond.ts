import type { Request, Response } from 'express';
import type { z } from 'zod';
import { ErrorCode, type Ack, type ErrorBody } from '../../../shared/contract.ts';
import { JoinCode } from '../../../shared/protocol.ts';
import type { RoomRegistry } from '../../live/room-registry.ts';
import type { SessionRoom } from '../../live/session-room.ts';

const STATUS_OF: Partial<Record<ErrorBody['code'], number>> = {
  [ErrorCode.invalidPayload]: 400,
  [ErrorCode.unauthorized]: 401,
  [ErrorCode.forbidden]: 403,
  [ErrorCode.sessionNotFound]: 404,
  [ErrorCode.courseNotFound]: 404,
  [ErrorCode.questionNotFound]: 404,
  [ErrorCode.internal]: 500,
};

export function sendData(res: Response, data: unknown, status = 200): void {
  res.status(status).json({ ok: true, data });
}

export function sendError(res: Response, error: ErrorBody): void {
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

/** The room of the session named by the :code parameter; answers 404 and returns undefined when there is none. */
export function findRoom(rooms: RoomRegistry, req: Request, res: Response): SessionRoom | undefined {
  const code = JoinCode.safeParse(req.params.code);
  const room = code.success ? rooms.find(code.data) : undefined;
  if (!room) sendError(res, { code: ErrorCode.sessionNotFound, message: 'この参加コードの開催は見つかりません' });
  return room;
}
