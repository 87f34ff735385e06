/** The admin API as the page calls it: reads with the login cookie, changes with the CSRF token too. */
import { CSRF_TOKEN_HEADER, type Ack } from '../../shared/contract.ts';
import { callApi } from '../lib/api.ts';
import type { SessionRoute } from '../lib/session-home.ts';

let csrfToken: string | null = null;

export function setCsrfToken(token: string | null): void {
  csrfToken = token;
}

export function readApi<T>(path: string): Promise<Ack<T>> {
  return callApi<T>(path);
}

/**
 * A state-changing request: carries the login's CSRF token in its header. With a session's `route`,
 * it goes to the node that runs the session (see callApi).
 */
export function changeApi<T>(method: 'POST' | 'DELETE', path: string, body?: unknown, route?: SessionRoute): Promise<Ack<T>> {
  return callApi<T>(
    path,
    {
      method,
      headers: csrfToken ? { [CSRF_TOKEN_HEADER]: csrfToken } : {},
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
    },
    route,
  );
}
