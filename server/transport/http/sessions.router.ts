import { Router, type Request, type RequestHandler, type Response } from 'express';
import QRCode from 'qrcode';
import { ErrorCode, PRESENTER_KEY_HEADER, type CreatedSession } from '../../../shared/contract.ts';
import { CreateSessionRequest, JoinRequest } from '../../../shared/protocol.ts';
import { deckPayload, sessionSummary, speakerNotes } from '../../live/projections.ts';
import type { PublicSessionView, RoomRegistry } from '../../live/room-registry.ts';
import type { SessionRoom } from '../../live/session-room.ts';
import type { SessionUrls } from '../../public-urls.ts';
import type { RateLimits } from '../rate-limits.ts';
import { publicSessionInfoWithHome } from './join-page.ts';
import { allowRequest, findRoom, lookUpHome, lookUpPublic, parseBody, sendAck, sendData, sendError } from './respond.ts';

export interface SessionsRouterOptions {
  urlsOf(code: string, keys?: { presenterKey: string; organizerKey: string }): SessionUrls;
  limits: RateLimits;
  /** Creating a session is the organizer's: admin login and CSRF token. */
  requireAdminChange: RequestHandler;
  /** Whether an address is this machine's own: its venue checks prove nothing about phones. */
  isOwnAddress(address: string): boolean;
}

export function createSessionsRouter(rooms: RoomRegistry, options: SessionsRouterOptions): Router {
  const router = Router();

  /** The room of :code when the request carries its presenter key; answers 404 or 401 otherwise. */
  const findPresenterRoom = async (req: Request, res: Response): Promise<SessionRoom | undefined> => {
    const room = await findRoom(rooms, req, res, options.limits);
    if (!room) return undefined;
    if (rooms.isPresenter(room, req.get(PRESENTER_KEY_HEADER) ?? '')) return room;
    sendError(res, { code: ErrorCode.unauthorized, message: 'presenter key required' });
    return undefined;
  };

  router.post('/api/sessions', options.requireAdminChange, async (req, res) => {
    if (!(await allowRequest(options.limits.sessionCreation, req, res))) return;
    const body = parseBody(res, CreateSessionRequest, req.body);
    if (!body) return;
    const created = await rooms.create({ courseId: body.course, variantId: body.variant, title: body.title, settings: body.settings });
    if (!created.ok) return sendError(res, created.error);
    const { session, presenterKey, organizerKey } = created.data;
    const urls = options.urlsOf(session.code, { presenterKey, organizerKey });
    const answer: CreatedSession = {
      session: sessionSummary(session),
      presenterKey,
      organizerKey,
      urls: { presenter: urls.presenter, console: urls.console, organizer: urls.organizer, join: urls.join },
    };
    sendData(res, answer, 201);
  });

  // Any node answers which node runs the session; its sockets and requests then carry node=<nodeId>.
  router.get('/api/sessions/:code/home', async (req, res) => {
    res.set('Cache-Control', 'no-store');
    sendAck(res, await lookUpHome(rooms, req, options.limits));
  });

  /** What anyone may read of :code, on any node; answers 404 (or 429) and returns undefined when there is none. */
  const findPublicView = async (req: Request, res: Response): Promise<PublicSessionView | undefined> => {
    const found = await lookUpPublic(rooms, req, options.limits);
    if ('view' in found) return found.view;
    sendError(res, found.error);
    return undefined;
  };

  router.get('/api/sessions/:code', async (req, res) => {
    const view = await findPublicView(req, res);
    if (view) sendData(res, await publicSessionInfoWithHome(rooms, view));
  });

  router.post('/api/sessions/:code/participants', async (req, res) => {
    const room = await findRoom(rooms, req, res, options.limits);
    if (!room) return;
    const body = parseBody(res, JoinRequest, req.body);
    if (!body) return;
    if (!(await allowRequest(options.limits.join, req, res))) return;
    sendAck(res, await room.join(body.nickname, body.group), 201);
  });

  // The venue pre-flight: a phone opening the check URL proves it reaches the server. A request from
  // this machine itself proves nothing, so it is answered but not counted.
  router.post('/api/sessions/:code/reachability-check', async (req, res) => {
    const room = await findRoom(rooms, req, res, options.limits);
    if (!room) return;
    const isCounted = !options.isOwnAddress(req.socket.remoteAddress ?? '');
    if (isCounted) room.recordReachabilityCheck();
    sendData(res, { reached: true, counted: isCounted });
  });

  router.get('/api/sessions/:code/deck', async (req, res) => {
    const room = await findPresenterRoom(req, res);
    if (room) sendData(res, deckPayload(room, options.urlsOf(room.session.code).join));
  });

  // Speaker notes: only the console asks for them (and the printed handout with notes), never the projector.
  router.get('/api/sessions/:code/notes', async (req, res) => {
    const room = await findPresenterRoom(req, res);
    if (room) sendData(res, speakerNotes(room));
  });

  // Any node draws it (posters and the projector's overlay are images, which name no node).
  router.get('/api/sessions/:code/qr.svg', async (req, res) => {
    const room = await findPublicView(req, res);
    if (!room) return;
    // ?group=N: the join link of the session's N-th group (one poster per group), which preselects it.
    const groupNumber = Number(req.query.group);
    const hasGroup = Number.isInteger(groupNumber) && groupNumber >= 1 && groupNumber <= room.session.settings.groups.length;
    const urls = options.urlsOf(room.session.code);
    // ?check=1: the venue pre-flight's check URL, for the organizer to scan with a phone.
    const target = req.query.check !== undefined ? `${urls.join}?check=1` : hasGroup ? `${urls.join}?group=${groupNumber}` : urls.joinQr;
    const svg = await QRCode.toString(target, {
      type: 'svg',
      errorCorrectionLevel: 'M',
      margin: 2,
    });
    res.type('image/svg+xml').set('Cache-Control', 'no-cache').send(svg);
  });

  // The console's own URL with the key, so the presenter can pick it up on a phone: presenter key only, never cached.
  router.get('/api/sessions/:code/console-qr.svg', async (req, res) => {
    const room = await findPresenterRoom(req, res);
    if (!room) return;
    const url = options.urlsOf(room.session.code, { presenterKey: req.get(PRESENTER_KEY_HEADER) ?? '', organizerKey: '' }).console;
    const svg = await QRCode.toString(url, { type: 'svg', errorCorrectionLevel: 'M', margin: 2 });
    res.type('image/svg+xml').set('Cache-Control', 'no-store').send(svg);
  });

  return router;
}
