import { apiPaths, SESSION_INFO_BLOCK_ID, type Ack, type PublicSessionInfo } from '../../shared/contract.ts';
import { callApi } from '../lib/api.ts';
import type { SessionRoute } from '../lib/session-home.ts';

/** The answer the server put in the page's data block: read once; null when there is none or it was taken. */
let embedded: Ack<PublicSessionInfo> | null | undefined;

function readEmbeddedInfo(): Ack<PublicSessionInfo> | null {
  if (embedded !== undefined) return embedded;
  const block = document.getElementById(SESSION_INFO_BLOCK_ID);
  block?.remove();
  try {
    const parsed = block ? (JSON.parse(block.textContent ?? '') as Ack<PublicSessionInfo> | null) : null;
    embedded = typeof parsed?.ok === 'boolean' ? parsed : null;
  } catch {
    embedded = null;
  }
  return embedded;
}

/** Points the route at the node the info names as running the session: the socket then needs no `home` first. */
function learnHome(route: SessionRoute, info: Ack<PublicSessionInfo>): void {
  if (info.ok && info.data.home) route.nodeId = info.data.home.nodeId;
}

/** For a phone that joined before: the node the page's own info names, without taking the info. */
export function routeFromPage(route: SessionRoute): void {
  const info = readEmbeddedInfo();
  if (info) learnHome(route, info);
}

/**
 * The session's public info for the join form: from the page itself when the server embedded it
 * (no round trip; only the first time, a later join form asks the API afresh), else from
 * GET /api/sessions/:code (the Vite dev server serves the bare page). Either names the node that runs
 * the session, which the route takes.
 */
export async function loadSessionInfo(route: SessionRoute): Promise<Ack<PublicSessionInfo>> {
  const fromPage = readEmbeddedInfo();
  embedded = null;
  const info = fromPage ?? (await callApi<PublicSessionInfo>(apiPaths.session(route.code), {}, route));
  learnHome(route, info);
  return info;
}
