import { Router } from 'express';
import { ErrorCode } from '../../../shared/protocol.ts';
import type { SessionService } from '../../live/session-service.ts';
import { resultsToCsv } from '../../export/results-csv.ts';
import { ORGANIZER_KEY_HEADER } from './key-headers.ts';
import { findSession, sendData, sendError } from './respond.ts';

/** The organizer's view of a session's results, as JSON or as CSV for Excel. */
export function createResultsRouter(service: SessionService, joinUrlOf: (code: string) => string): Router {
  const router = Router();

  router.get(['/api/sessions/:code/results', '/api/sessions/:code/results.csv'], (req, res) => {
    const live = findSession(service, req, res);
    if (!live) return;
    if (!service.findForOrganizer(live.session.code, req.get(ORGANIZER_KEY_HEADER) ?? '')) {
      return sendError(res, { code: ErrorCode.unauthorized, message: 'organizer key required' });
    }
    const results = service.resultsOf(live, joinUrlOf(live.session.code));
    if (!req.path.endsWith('.csv')) return sendData(res, results);
    res
      .type('text/csv; charset=utf-8')
      .attachment(`kotae-${live.session.code}-results.csv`)
      .send(resultsToCsv(results));
  });

  return router;
}
