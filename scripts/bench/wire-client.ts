/**
 * A minimal Socket.IO v4 client speaking the wire format over a bare WebSocket, so one process can
 * hold 10,000 participants cheaply. It knows only what a phone needs: the Engine.IO open packet and
 * heartbeat, the namespace connect with `auth`, events, and acknowledgements.
 *
 * Engine.IO v4 packets (one per WebSocket frame): `0` open, `1` close, `2` ping, `3` pong, `4` message.
 * Socket.IO packets inside a message: `0` connect, `1` disconnect, `2` event, `3` ack, `4` connect error;
 * so `40{auth}` connects, `42["event",payload]` is an event, `42<id>[...]` asks for an ack answered by `43<id>[...]`.
 */
import WebSocket from 'ws';

export interface WireClientHandlers {
  /** The namespace accepted the handshake. */
  onConnected?(): void;
  /**
   * A server event with its first argument as JSON text, left unparsed: the generator plays thousands
   * of phones on one core, so it parses only what it needs.
   */
  onEvent(event: string, payloadJson: string): void;
  /** The handshake was refused (`44`), the socket failed, or it closed. */
  onClosed?(reason: string): void;
}

/** Query parameters sent with every request of a connection, e.g. `{ node: 'kotae-2' }` for the router. */
export type ExtraQuery = Readonly<Record<string, string>>;

/** The URL of the Engine.IO WebSocket transport of a server at `baseUrl` (http://host:port). */
export function engineUrlOf(baseUrl: string, query: ExtraQuery = {}): string {
  const extra = new URLSearchParams(query).toString();
  return `${baseUrl.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket${extra ? `&${extra}` : ''}`;
}

export class WireClient {
  private readonly socket: WebSocket;
  private readonly pendingAcks = new Map<number, (response: unknown) => void>();
  private nextAckId = 0;
  private isClosed = false;

  constructor(
    baseUrl: string,
    private readonly auth: object,
    private readonly handlers: WireClientHandlers,
    query: ExtraQuery = {},
  ) {
    this.socket = new WebSocket(engineUrlOf(baseUrl, query), { perMessageDeflate: false, skipUTF8Validation: true });
    this.socket.on('message', (data: Buffer, isBinary: boolean) => {
      if (!isBinary) this.receive(data.toString());
    });
    this.socket.on('error', (error) => this.finish(`socket error: ${error.message}`));
    this.socket.on('close', () => this.finish('closed'));
  }

  /** Sends an event whose answer is passed to `onAck`. */
  emitWithAck(event: string, payload: unknown, onAck: (response: unknown) => void): void {
    const id = this.nextAckId++;
    this.pendingAcks.set(id, onAck);
    this.send(`42${id}${JSON.stringify([event, payload])}`);
  }

  /** Drops the connection at once, as a phone losing its network does (no Socket.IO goodbye). */
  terminate(): void {
    this.isClosed = true;
    this.pendingAcks.clear();
    this.socket.terminate();
  }

  private send(text: string): void {
    if (this.socket.readyState === WebSocket.OPEN) this.socket.send(text);
  }

  private receive(text: string): void {
    const engineType = text.charCodeAt(0);
    if (engineType === 0x34 /* 4 message */) return this.receiveSocketPacket(text);
    if (engineType === 0x32 /* 2 ping */) return this.send('3');
    if (engineType === 0x30 /* 0 open */) return this.send(`40${JSON.stringify(this.auth)}`);
    if (engineType === 0x31 /* 1 close */) this.finish('engine close');
  }

  private receiveSocketPacket(text: string): void {
    const socketType = text.charCodeAt(1);
    if (socketType === 0x32 /* 2 event */) {
      // 42["name",payload]: event names are plain, so the name ends at the next quote.
      const nameEnd = text.indexOf('"', 4);
      return this.handlers.onEvent(text.slice(4, nameEnd), text.slice(nameEnd + 2, -1));
    }
    if (socketType === 0x33 /* 3 ack */) {
      const start = text.indexOf('[');
      const id = Number(text.slice(2, start));
      const onAck = this.pendingAcks.get(id);
      if (!onAck) return;
      this.pendingAcks.delete(id);
      const [response] = JSON.parse(text.slice(start)) as [unknown];
      return onAck(response);
    }
    if (socketType === 0x30 /* 0 connect */) return this.handlers.onConnected?.();
    if (socketType === 0x34 /* 4 connect error */) return this.finish(`refused: ${text.slice(2)}`);
    if (socketType === 0x31 /* 1 disconnect */) this.finish('disconnected by the server');
  }

  private finish(reason: string): void {
    if (this.isClosed) return;
    this.isClosed = true;
    this.pendingAcks.clear();
    this.socket.terminate();
    this.handlers.onClosed?.(reason);
  }
}
