import type { z } from 'zod';
import { commandSchemas, ErrorCode, type Ack, type CommandName } from '../../../shared/protocol.ts';
import type { Decision } from '../../domain/domain-error.ts';
import type { KotaeSocket, SocketData } from './socket-types.ts';

type PayloadOf<Name extends CommandName> = z.infer<(typeof commandSchemas)[Name]['schema']>;
type DataFor<Name extends CommandName> = Extract<SocketData, { role: (typeof commandSchemas)[Name]['role'] }>;

/**
 * Registers a command: the payload is parsed with its schema and the sender's role checked before the
 * handler runs; every outcome, including a missing ack or a thrown error, is answered as an Ack.
 */
export function onCommand<Name extends CommandName, Result>(
  socket: KotaeSocket,
  name: Name,
  handler: (payload: PayloadOf<Name>, data: DataFor<Name>) => Promise<Decision<Result>>,
): void {
  const { schema, role } = commandSchemas[name];
  const listener = async (payload: unknown, ack: unknown): Promise<void> => {
    const reply = typeof ack === 'function' ? (ack as (response: Ack<Result>) => void) : () => {};
    if (socket.data.role !== role) {
      return reply({ ok: false, error: { code: ErrorCode.forbidden, message: `${name} is for the ${role}` } });
    }
    const parsed = schema.safeParse(payload);
    if (!parsed.success) {
      const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`).join('; ');
      return reply({ ok: false, error: { code: ErrorCode.invalidPayload, message } });
    }
    try {
      const decision = await handler(parsed.data as PayloadOf<Name>, socket.data as DataFor<Name>);
      reply(decision.ok ? { ok: true, data: decision.value } : { ok: false, error: decision.error });
    } catch (error) {
      console.error(`kotae: ${name} failed`, error);
      reply({ ok: false, error: { code: ErrorCode.internal, message: 'internal error; nothing was changed' } });
    }
  };
  // Socket.IO's typed `on` cannot see through the generic name; the listener checks everything itself.
  (socket.on as (event: string, listener: (payload: unknown, ack: unknown) => void) => void)(name, listener);
}

/** An event the protocol does not know is answered with invalid_payload when the sender waits for an ack. */
export function answerUnknownEvents(socket: KotaeSocket): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    if (Object.hasOwn(commandSchemas, event)) return;
    const ack = args.at(-1);
    if (typeof ack === 'function') ack({ ok: false, error: { code: ErrorCode.invalidPayload, message: `unknown event ${event}` } });
  });
}
