import type { Ack } from '../../shared/contract.ts';

/** Calls a REST endpoint of this server and unwraps its `{ ok, data | error }` body. */
export async function callApi<T>(path: string, init: RequestInit = {}): Promise<Ack<T>> {
  try {
    const response = await fetch(path, {
      ...init,
      headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
    return (await response.json()) as Ack<T>;
  } catch {
    return { ok: false, error: { code: 'internal_error', message: 'network' } };
  }
}
