import { apiPaths, SESSION_INFO_BLOCK_ID, type Ack, type PublicSessionInfo } from '../../shared/contract.ts';
import { callApi } from '../lib/api.ts';
import type { SessionRoute } from '../lib/session-home.ts';

/** The answer the server put in the page's data block, read once (a later join form asks the API afresh). */
function takeEmbeddedInfo(): Ack<PublicSessionInfo> | null {
  const block = document.getElementById(SESSION_INFO_BLOCK_ID);
  if (!block) return null;
  block.remove();
  try {
    const parsed = JSON.parse(block.textContent ?? '') as Ack<PublicSessionInfo> | null;
    return typeof parsed?.ok === 'boolean' ? parsed : null;
  } catch {
    return null;
  }
}

/**
 * The session's public info for the join form: from the page itself when the server embedded it
 * (no round trip), else from GET /api/sessions/:code (the Vite dev server serves the bare page).
 */
export function loadSessionInfo(route: SessionRoute): Promise<Ack<PublicSessionInfo>> {
  const embedded = takeEmbeddedInfo();
  return embedded ? Promise.resolve(embedded) : callApi<PublicSessionInfo>(apiPaths.session(route.code), {}, route);
}
