/**
 * Runs the command table on a socket: each command's payload is parsed with its schema and the
 * sender's role checked before its handler runs, and every command is answered exactly once.
 */
import { ErrorCode, type Ack } from '../../../shared/contract.ts';
import { commands, type CommandAnswer, type CommandName, type CommandRole, type ParsedPayload } from '../../../shared/protocol.ts';
import { NO_DIAGNOSTICS, type Diagnostics } from '../../diagnostics.ts';
import type { Logger } from '../../logger.ts';
import type { KotaeSocket, SocketData } from './socket-types.ts';

/** What a handler knows of the sender: the socket data of the command's role. */
export type SenderOf<Name extends CommandName> = Extract<SocketData, { role: CommandRole<Name> }>;

export type CommandHandler<Name extends CommandName> = (payload: ParsedPayload<Name>, sender: SenderOf<Name>) => Promise<Ack<CommandAnswer<Name>>>;

/** One handler per command of the table: a missing one or a wrong answer type does not compile. */
export type CommandHandlers = { [Name in CommandName]: CommandHandler<Name> };

type Reply = (response: Ack<unknown>) => void;

/**
 * Lets commands in while the server runs and, at shutdown, refuses new ones and waits for those under
 * way: each is committed and acknowledged before the sockets close.
 */
export class CommandGate {
  private readonly underWay = new Set<Promise<unknown>>();
  private isOpen = true;

  /** `isServing`: whether this node still runs its sessions (in a cluster, while its heartbeat is renewed). */
  constructor(private readonly isServing: () => boolean = () => true) {}

  /** Runs a command unless the gate is closing or the node stopped serving; resolves with its answer. */
  pass(command: () => Promise<Ack<unknown>>): Promise<Ack<unknown>> {
    if (!this.isOpen) return Promise.resolve(refusal(ErrorCode.shuttingDown, 'the server is shutting down; send it again in a moment'));
    // Checked per command: a node resumed after a pause must not act before it finds it has lost its sessions.
    if (!this.isServing()) return Promise.resolve(refusal(ErrorCode.moved, 'this node no longer runs the session; ask home and reconnect'));
    const running = command();
    this.underWay.add(running);
    void running.finally(() => this.underWay.delete(running));
    return running;
  }

  /** Stops new commands and resolves once every command under way has answered. */
  async close(): Promise<void> {
    this.isOpen = false;
    while (this.underWay.size > 0) await Promise.allSettled([...this.underWay]);
  }
}

function refusal(code: ErrorCode, message: string): Ack<never> {
  return { ok: false, error: { code, message } };
}

async function runCommand<Name extends CommandName>(socket: KotaeSocket, name: Name, handler: CommandHandler<Name>, args: unknown[], logger: Logger): Promise<Ack<unknown>> {
  const { schema, role } = commands[name];
  if (args.length !== 1) return refusal(ErrorCode.invalidPayload, `${name} takes one payload and an acknowledgement`);
  if (socket.data.role !== role) return refusal(ErrorCode.forbidden, `${name} is for the ${role}`);
  const parsed = schema.safeParse(args[0]);
  if (!parsed.success) {
    const message = parsed.error.issues.map((issue) => `${issue.path.join('.') || 'payload'}: ${issue.message}`).join('; ');
    return refusal(ErrorCode.invalidPayload, message);
  }
  try {
    return await handler(parsed.data as ParsedPayload<Name>, socket.data as SenderOf<Name>);
  } catch (error) {
    logger.error({ err: error, command: name, session: socket.data.room.session.code }, 'a command failed');
    return refusal(ErrorCode.internal, 'internal error; nothing was changed');
  }
}

/**
 * Listens for every event on the socket. A command runs only when it comes with an acknowledgement
 * (the last argument) and exactly one payload; anything else, unknown events included, changes
 * nothing and is answered with invalid_payload when an acknowledgement was given.
 */
export function registerCommands(socket: KotaeSocket, handlers: CommandHandlers, gate: CommandGate, logger: Logger, diagnostics: Diagnostics = NO_DIAGNOSTICS): void {
  socket.onAny((event: string, ...args: unknown[]) => {
    if (diagnostics.isEnabled) diagnostics.commandReceived(socket.data.room.session.code, performance.now());
    const ack = args.at(-1);
    if (typeof ack !== 'function') return;
    const reply = ack as Reply;
    const payloadArgs = args.slice(0, -1);
    if (!Object.hasOwn(commands, event)) return reply(refusal(ErrorCode.invalidPayload, `unknown event ${event}`));
    const name = event as CommandName;
    void gate.pass(() => runCommand(socket, name, handlers[name] as CommandHandler<typeof name>, payloadArgs, logger)).then(reply);
  });
}
