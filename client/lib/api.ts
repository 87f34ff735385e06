import { ErrorCode, type Ack } from '../../shared/contract.ts';
import type { SessionRoute } from './session-home.ts';

/**
 * Calls a REST endpoint of this server and unwraps its `{ ok, data | error }` body. With the session's
 * `route`, the request names the node that runs the session; a `moved` answer (the node did nothing)
 * is sent once more, to the owner it names or else to the one `home` names.
 */
export async function callApi<T>(path: string, init: RequestInit = {}, route?: SessionRoute): Promise<Ack<T>> {
  const answer = await request<T>(route ? route.urlOf(path) : path, init);
  if (!route || answer.ok || answer.error.code !== ErrorCode.moved) return answer;
  const owner = answer.error.owner ?? (await route.askHome());
  if (!owner) return answer;
  route.nodeId = owner.nodeId;
  return request<T>(route.urlOf(path), init);
}

async function request<T>(url: string, init: RequestInit): Promise<Ack<T>> {
  try {
    const response = await fetch(url, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    return (await response.json()) as Ack<T>;
  } catch {
    return { ok: false, error: { code: 'internal_error', message: 'network' } };
  }
}
