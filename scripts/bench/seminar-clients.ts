/**
 * The clients of the seminar bench beyond voting: phones that send any participant command (the
 * knowledge test, audience Q&A) over the wire client, and the presenter's console, which sends the
 * test, moderation and end commands the projector client does not.
 */
import type { Ack } from '../../shared/contract.ts';
import type { CommandAnswer, CommandName, CommandPayload, CommandRole } from '../../shared/protocol.ts';
import { connectPresenterSocket, type ClientSocket } from './clients.ts';
import type { PoolMember } from './participant-pool.ts';
import { mapWithConcurrency, waitUntil } from './stats.ts';
import { WireClient } from './wire-client.ts';

/** WebSocket handshakes in flight at once, as the participant pool does. */
const CONNECT_CONCURRENCY = 200;

type ParticipantCommand = { [Name in CommandName]: CommandRole<Name> extends 'participant' ? Name : never }[CommandName];
type PresenterCommand = { [Name in CommandName]: CommandRole<Name> extends 'presenter' ? Name : never }[CommandName];

/**
 * One wire connection per pool member that can send any participant command. It replaces the member's
 * voting connection while it is open (a phone's newest connection is the one that counts), so the pool
 * must be dropped before and reconnected after.
 */
export class CommandPhones {
  /** The JSON of the latest `test:changed` any phone received (the test's items), unparsed. */
  latestTestJson: string | null = null;

  private constructor(private readonly clients: WireClient[]) {}

  /** Connects every member; resolves once each has its snapshot, or throws after `timeoutMs`. */
  static async connect(baseUrl: string, code: string, members: readonly PoolMember[], timeoutMs: number): Promise<CommandPhones> {
    let synced = 0;
    let failure: string | null = null;
    const clients: WireClient[] = [];
    const phones = new CommandPhones(clients);
    await mapWithConcurrency(members.length, CONNECT_CONCURRENCY, async (i) => {
      const member = members[i] as PoolMember;
      await new Promise<void>((resolve) => {
        clients[i] = new WireClient(
          baseUrl,
          { role: 'participant', code, token: member.token },
          {
            onEvent(event, payloadJson) {
              if (event === 'participant:synced') {
                synced += 1;
                resolve();
              } else if (event === 'test:changed') {
                phones.latestTestJson = payloadJson;
              }
            },
            onClosed(reason) {
              failure ??= reason;
              resolve();
            },
          },
        );
      });
    });
    if (!(await waitUntil(() => synced === members.length, timeoutMs))) {
      phones.close();
      throw new Error(`only ${synced} of ${members.length} command phones synced: ${failure ?? 'no failure reported'}`);
    }
    return phones;
  }

  get count(): number {
    return this.clients.length;
  }

  /** Sends a participant command from phone `index`; resolves with its answer. */
  send<Name extends ParticipantCommand>(index: number, name: Name, payload: CommandPayload<Name>): Promise<Ack<CommandAnswer<Name>>> {
    const client = this.clients[index];
    if (!client) throw new Error(`no command phone ${index}`);
    return new Promise((resolve) => client.emitWithAck(name, payload, (response) => resolve(response as Ack<CommandAnswer<Name>>)));
  }

  close(): void {
    for (const client of this.clients) client.terminate();
  }
}

/** The presenter's console: a second presenter connection, as a laptop beside the projector is. */
export class ConsoleClient {
  private constructor(private readonly socket: ClientSocket) {}

  static async connect(baseUrl: string, code: string, key: string, timeoutMs: number): Promise<ConsoleClient> {
    return new ConsoleClient(await connectPresenterSocket(baseUrl, code, key, timeoutMs));
  }

  /** Sends a presenter command; resolves with its data, or throws with the refusal. */
  async send<Name extends PresenterCommand>(name: Name, payload: CommandPayload<Name>, timeoutMs: number): Promise<CommandAnswer<Name>> {
    // A generic name cannot pick one of the typed overloads; the command table types the answer instead.
    const timed = this.socket.timeout(timeoutMs) as unknown as { emitWithAck(event: string, payload: unknown): Promise<unknown> };
    const ack = (await timed.emitWithAck(name, payload)) as Ack<CommandAnswer<Name>>;
    if (!ack.ok) throw new Error(`${name} refused: ${ack.error.code} ${ack.error.message}`);
    return ack.data;
  }

  close(): void {
    this.socket.disconnect();
  }
}
