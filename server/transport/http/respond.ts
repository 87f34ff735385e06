import type { Request, Response } from 'express';
import type { z } from 'zod';
import { ErrorCode, JoinCode, type ErrorBody } from '../../../shared/protocol.ts';
import type { LiveSession, SessionService } from '../../live/session-service.ts';
import type { Decision } from '../../domain/domain-error.ts';

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

export function sendDecision<T>(res: Response, decision: Decision<T>, status = 200): void {
  if (decision.ok) sendData(res, decision.value, status);
  else sendError(res, decision.error);
}

/** Parses a request body; answers 400 and returns undefined when it does not fit. */
export function parseBody<T>(res: Response, schema: z.ZodType<T>, body: unknown): T | undefined {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'body'}: ${issue.message}`).join('; ');
  sendError(res, { code: ErrorCode.invalidPayload, message });
  return undefined;
}

/** The session named by the :code parameter; answers 404 and returns undefined when there is none. */
export function findSession(service: SessionService, req: Request, res: Response): LiveSession | undefined {
  const code = JoinCode.safeParse(req.params.code);
  const live = code.success ? service.findByCode(code.data) : undefined;
  if (!live) sendError(res, { code: ErrorCode.sessionNotFound, message: 'この参加コードの開催は見つかりません' });
  return live;
}
