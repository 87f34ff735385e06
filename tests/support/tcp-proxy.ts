/**
 * A TCP relay between a node and PostgreSQL that a test can stall, as a network partition would:
 * while stalled nothing passes in either direction and queries hang; `resume` delivers what was
 * held back, in order.
 */
import net from 'node:net';

export interface TcpProxy {
  /** The local port to connect to instead of the target. */
  port: number;
  stall(): void;
  resume(): void;
  close(): Promise<void>;
}

/** Listens on a random port and relays every connection to host:port. */
export async function startTcpProxy(host: string, port: number): Promise<TcpProxy> {
  const sockets = new Set<net.Socket>();
  const heldBack: Array<{ to: net.Socket; chunk: Buffer }> = [];
  let isStalled = false;
  const relay = (from: net.Socket, to: net.Socket): void => {
    from.on('data', (chunk: Buffer) => {
      if (isStalled) heldBack.push({ to, chunk });
      else to.write(chunk);
    });
    from.on('close', () => to.destroy());
    from.on('error', () => from.destroy());
  };
  const server = net.createServer((inbound) => {
    const outbound = net.connect(port, host);
    for (const socket of [inbound, outbound]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
    }
    relay(inbound, outbound);
    relay(outbound, inbound);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    stall() {
      isStalled = true;
    },
    resume() {
      isStalled = false;
      for (const { to, chunk } of heldBack.splice(0)) if (!to.destroyed) to.write(chunk);
    },
    async close() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
