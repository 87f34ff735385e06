/**
 * A TCP proxy that plays a slow network link between one browser and the server: every byte in
 * either direction waits half the round-trip time, each direction is a single queue at its own
 * bandwidth (shared by all of the browser's connections, as one Wi-Fi link is), and the first bytes of
 * a connection wait one more round trip for the TCP handshake. Unlike Chromium's network emulation, it
 * also delays the frames of an open WebSocket.
 *
 * Not modelled: packet loss, TCP slow start, jitter.
 */
import net from 'node:net';
import { HOST } from './server-process.ts';

/** The link a phone is on: round-trip time and the bandwidth of each direction. */
export interface LinkProfile {
  rttMs: number;
  /** Server → phone, in bytes per second. */
  downloadBytesPerSecond: number;
  /** Phone → server, in bytes per second. */
  uploadBytesPerSecond: number;
}

/** A running proxy; `close()` ends every connection through it. */
export interface ShapingProxy {
  baseUrl: string;
  close(): Promise<void>;
}

/** One direction of the link: a queue that sends one chunk after the other at the link's bandwidth. */
class LinkDirection {
  private busyUntil = 0;

  constructor(
    private readonly bytesPerSecond: number,
    private readonly oneWayMs: number,
  ) {}

  /** When a chunk of `bytes` handed over now reaches the other end, no earlier than `notBefore`. */
  arrivalOf(bytes: number, notBefore: number): number {
    const sentAt = Math.max(performance.now(), this.busyUntil) + (bytes * 1000) / this.bytesPerSecond;
    this.busyUntil = sentAt;
    return Math.max(sentAt + this.oneWayMs, notBefore);
  }
}

/** Runs actions in the order they were queued, each no earlier than its arrival time. */
class DeliveryQueue {
  private readonly pending: Array<{ at: number; deliver: () => void }> = [];
  private timer: NodeJS.Timeout | null = null;

  push(at: number, deliver: () => void): void {
    this.pending.push({ at, deliver });
    if (!this.timer) this.schedule();
  }

  clear(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pending.length = 0;
  }

  private schedule(): void {
    const next = this.pending[0];
    this.timer = next ? setTimeout(() => this.drain(), Math.max(0, next.at - performance.now())) : null;
  }

  private drain(): void {
    const now = performance.now();
    while (this.pending[0] && this.pending[0].at <= now + 0.5) this.pending.shift()?.deliver();
    this.schedule();
  }
}

/** Forwards what `from` sends to `to` through `link`, in order, closing `to` after the last byte. */
function pipeThrough(from: net.Socket, to: net.Socket, link: LinkDirection, firstArrival: number): DeliveryQueue {
  const queue = new DeliveryQueue();
  let lastArrival = firstArrival;
  from.on('data', (chunk: Buffer) => {
    lastArrival = link.arrivalOf(chunk.length, lastArrival);
    queue.push(lastArrival, () => to.write(chunk));
  });
  from.on('end', () => queue.push(lastArrival, () => to.end()));
  return queue;
}

/** Listens on a free port of 127.0.0.1 and forwards every connection to `target` through `link`. */
export async function startShapingProxy(target: { host: string; port: number }, link: LinkProfile): Promise<ShapingProxy> {
  const up = new LinkDirection(link.uploadBytesPerSecond, link.rttMs / 2);
  const down = new LinkDirection(link.downloadBytesPerSecond, link.rttMs / 2);
  const sockets = new Set<net.Socket>();
  const queues = new Set<DeliveryQueue>();
  const server = net.createServer((phone) => {
    const upstream = net.connect(target.port, target.host);
    for (const socket of [phone, upstream]) {
      sockets.add(socket);
      socket.setNoDelay(true);
      socket.on('close', () => sockets.delete(socket));
    }
    // The handshake: the phone learns it is connected one round trip after it asked, then its bytes travel.
    const acceptedAt = performance.now();
    const connectionQueues = [pipeThrough(phone, upstream, up, acceptedAt + link.rttMs * 1.5), pipeThrough(upstream, phone, down, 0)];
    for (const queue of connectionQueues) queues.add(queue);
    const destroyBoth = (): void => {
      phone.destroy();
      upstream.destroy();
    };
    phone.on('error', destroyBoth);
    upstream.on('error', destroyBoth);
    phone.on('close', () => {
      for (const queue of connectionQueues) queues.delete(queue);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, HOST, resolve);
  });
  const address = server.address();
  if (typeof address !== 'object' || !address) throw new Error('the shaping proxy has no port');
  return {
    baseUrl: `http://${HOST}:${address.port}`,
    close() {
      for (const queue of queues) queue.clear();
      for (const socket of sockets) socket.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
