/** A session on the bench's throw-away server, created the way the admin page does it. */
import { CSRF_TOKEN_HEADER, type AdminStatus, type CreatedSession } from '../../shared/contract.ts';
import { BENCH_ADMIN_PASSWORD } from './server-process.ts';

/** What the bench asks for when it creates a session. */
export interface BenchSessionOptions {
  /** The course folder under slides/. */
  course: string;
  /** The headcount beyond which joining phones wait for the presenter's approval. */
  expectedParticipants: number;
  timeoutMs: number;
}

/** Logs in as the organizer (the bench server's own password) and creates a session. */
export async function createBenchSession(baseUrl: string, options: BenchSessionOptions): Promise<CreatedSession> {
  const login = await fetch(`${baseUrl}/api/admin/login`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ password: BENCH_ADMIN_PASSWORD }),
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  const status = (await login.json()) as { ok: true; data: AdminStatus } | { ok: false; error: { message: string } };
  if (!status.ok || !status.data.csrfToken) throw new Error(`the bench could not log in: ${status.ok ? 'no CSRF token' : status.error.message}`);
  const response = await fetch(`${baseUrl}/api/sessions`, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/json',
      Cookie: (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '',
      [CSRF_TOKEN_HEADER]: status.data.csrfToken,
    },
    body: JSON.stringify({ course: options.course, settings: { expectedParticipants: options.expectedParticipants } }),
    signal: AbortSignal.timeout(options.timeoutMs),
  });
  const json = (await response.json()) as { ok: true; data: CreatedSession } | { ok: false; error: { message: string } };
  if (!json.ok) throw new Error(`the session was not created: ${json.error.message}`);
  return json.data;
}
