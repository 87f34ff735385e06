import { Router } from 'express';
import { ErrorCode, ORGANIZER_KEY_HEADER } from '../../../shared/contract.ts';
import { resultsToCsv } from '../../export/results-csv.ts';
import { resultsOf } from '../../live/projections.ts';
import type { RoomRegistry } from '../../live/room-registry.ts';
import type { RateLimits } from '../rate-limits.ts';
import { findRoom, sendData, sendError } from './respond.ts';

/** The organizer's view of a session's results, as JSON or as CSV for Excel. */
export function createResultsRouter(rooms: RoomRegistry, joinUrlOf: (code: string) => string, limits: RateLimits): Router {
  const router = Router();

  router.get(['/api/sessions/:code/results', '/api/sessions/:code/results.csv'], async (req, res) => {
    const room = await findRoom(rooms, req, res, limits);
    if (!room) return;
    if (!rooms.isOrganizer(room, req.get(ORGANIZER_KEY_HEADER) ?? '')) {
      return sendError(res, { code: ErrorCode.unauthorized, message: 'organizer key required' });
    }
    const results = resultsOf(room, joinUrlOf(room.session.code));
    if (!req.path.endsWith('.csv')) return sendData(res, results);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`kotae-${room.session.code}-results.csv`)
      .send(resultsToCsv(results));
  });

  return router;
}
