import { Router, type Request, type Response } from 'express';
import { ErrorCode } from '../../../shared/contract.ts';
import { japanIso } from '../../../shared/japan-time.ts';
import { exportFileName } from '../../export/export-labels.ts';
import { resultsToCsv } from '../../export/results-csv.ts';
import { resultsToXlsx } from '../../export/results-xlsx.ts';
import type { RoomRegistry } from '../../live/room-registry.ts';
import { liveViewOf, resultsOf } from '../../live/projections.ts';
import type { Clock, ReadonlyRoom, SessionRoom } from '../../live/session-room.ts';
import type { RateLimits } from '../rate-limits.ts';
import type { AdminGate } from './admin-auth.ts';
import { findRoom, sendData, sendError } from './respond.ts';

export interface ResultsRouterDeps {
  rooms: RoomRegistry;
  gate: AdminGate;
  limits: RateLimits;
  clock: Clock;
  joinUrlOf(code: string): string;
  connectedParticipants(room: ReadonlyRoom): number;
}

const XLSX_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/**
 * The organizer's reads of a session (organizer key or admin login): the live view, the results as
 * JSON, and the exports (XLSX, CSV for Excel, JSON with everything) named by date and title.
 */
export function createResultsRouter({ rooms, gate, limits, clock, joinUrlOf, connectedParticipants }: ResultsRouterDeps): Router {
  const router = Router();

  const organizerRoom = async (req: Request, res: Response): Promise<SessionRoom | undefined> => {
    const room = await findRoom(rooms, req, res, limits);
    if (!room) return undefined;
    if (!(await gate.isOrganizer(req, room))) {
      sendError(res, { code: ErrorCode.unauthorized, message: 'organizer key or admin login required' });
      return undefined;
    }
    res.set('Cache-Control', 'no-store');
    return room;
  };

  router.get('/api/sessions/:code/live', async (req, res) => {
    const room = await organizerRoom(req, res);
    if (room) sendData(res, liveViewOf(room, connectedParticipants(room), joinUrlOf(room.session.code)));
  });

  router.get('/api/sessions/:code/results', async (req, res) => {
    const room = await organizerRoom(req, res);
    if (room) sendData(res, resultsOf(room, joinUrlOf(room.session.code)));
  });

  router.get('/api/sessions/:code/results.json', async (req, res) => {
    const room = await organizerRoom(req, res);
    if (!room) return;
    const results = resultsOf(room, joinUrlOf(room.session.code));
    res.attachment(exportFileName(results, 'json')).json({ exportedAt: japanIso(clock.now()), ...results });
  });

  router.get('/api/sessions/:code/results.csv', async (req, res) => {
    const room = await organizerRoom(req, res);
    if (!room) return;
    const results = resultsOf(room, joinUrlOf(room.session.code));
    res.type('text/csv; charset=utf-8').attachment(exportFileName(results, 'csv')).send(resultsToCsv(results, japanIso(clock.now())));
  });

  router.get('/api/sessions/:code/results.xlsx', async (req, res) => {
    const room = await organizerRoom(req, res);
    if (!room) return;
    const results = resultsOf(room, joinUrlOf(room.session.code));
    const workbook = await resultsToXlsx(results, japanIso(clock.now()));
    res.type(XLSX_TYPE).attachment(exportFileName(results, 'xlsx')).send(workbook);
  });

  return router;
}
