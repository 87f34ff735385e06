import { Router } from 'express';
import QRCode from 'qrcode';
import {
  CreateSessionRequest,
  ErrorCode,
  JoinRequest,
  type CreatedSession,
  type DeckPayload,
  type Joined,
  type PublicSessionInfo,
} from '../../../shared/protocol.ts';
import { chaptersOfVariant, findQuestion, findVariant } from '../../course/course-catalog.ts';
import type { LiveSession, SessionService } from '../../live/session-service.ts';
import { deckQuestion, sessionSummary } from '../../live/views.ts';
import { PRESENTER_KEY_HEADER } from './key-headers.ts';
import type { SessionUrls } from '../../public-urls.ts';
import { findSession, parseBody, sendData, sendError } from './respond.ts';

export interface SessionsRouterOptions {
  urlsOf(code: string, keys?: { presenterKey: string; organizerKey: string }): SessionUrls;
}



export function deckPayloadOf(live: LiveSession, joinUrl: string): DeckPayload {
  const { course, session } = live;
  const variant = findVariant(course, session.variantId);
  if (!variant) throw new Error(`variant ${session.variantId} vanished from course ${course.manifest.id}`);
  return {
    session: sessionSummary(session),
    courseTitle: course.manifest.title,
    subtitle: course.manifest.subtitle ?? null,
    presenter: course.manifest.presenter ?? null,
    variant: { id: variant.id, title: variant.title, totalMinutes: variant.totalMinutes },
    joinUrl,
    chapters: chaptersOfVariant(course, variant).map(({ chapter, minutes }) => ({
      id: chapter.id,
      title: chapter.title,
      number: chapter.number ?? null,
      plannedMinutes: minutes,
      slides: chapter.slides.map((slide) => {
        if (slide.kind === 'content') return slide;
        const question = findQuestion(course, slide.questionId);
        if (!question) throw new Error(`slide ${slide.id} asks unknown question ${slide.questionId}`);
        return { kind: 'question' as const, id: slide.id, notes: slide.notes, question: deckQuestion(question) };
      }),
    })),
  };
}

export function createSessionsRouter(service: SessionService, options: SessionsRouterOptions): Router {
  const router = Router();

  router.post('/api/sessions', (req, res) => {
    const body = parseBody(res, CreateSessionRequest, req.body);
    if (!body) return;
    const decision = service.createSession({ courseId: body.course, variantId: body.variant, title: body.title });
    if (!decision.ok) return sendError(res, decision.error);
    const { session, presenterKey, organizerKey } = decision.value;
    const urls = options.urlsOf(session.code, { presenterKey, organizerKey });
    const created: CreatedSession = {
      session: sessionSummary(session),
      presenterKey,
      organizerKey,
      urls: { presenter: urls.presenter, organizer: urls.organizer, join: urls.join },
    };
    sendData(res, created, 201);
  });

  router.get('/api/sessions/:code', (req, res) => {
    const live = findSession(service, req, res);
    if (!live) return;
    const info: PublicSessionInfo = { session: sessionSummary(live.session), courseTitle: live.course.manifest.title };
    sendData(res, info);
  });

  router.post('/api/sessions/:code/participants', async (req, res) => {
    const live = findSession(service, req, res);
    if (!live) return;
    const body = parseBody(res, JoinRequest, req.body);
    if (!body) return;
    const decision = await service.join(live, body.nickname);
    if (!decision.ok) return sendError(res, decision.error);
    const joined: Joined = { participantId: decision.value.participant.id, token: decision.value.token };
    sendData(res, joined, 201);
  });

  router.get('/api/sessions/:code/deck', (req, res) => {
    const live = findSession(service, req, res);
    if (!live) return;
    const key = req.get(PRESENTER_KEY_HEADER) ?? '';
    if (!service.findForPresenter(live.session.code, key)) {
      return sendError(res, { code: ErrorCode.unauthorized, message: 'presenter key required' });
    }
    sendData(res, deckPayloadOf(live, options.urlsOf(live.session.code).join));
  });

  router.get('/api/sessions/:code/qr.svg', async (req, res) => {
    const live = findSession(service, req, res);
    if (!live) return;
    const svg = await QRCode.toString(options.urlsOf(live.session.code).joinQr, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    res.type('image/svg+xml').set('Cache-Control', 'no-cache').send(svg);
  });

  return router;
}
