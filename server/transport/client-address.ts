import type { IncomingMessage } from 'node:http';
import proxyaddr from 'proxy-addr';

/** Decides whether a proxy's X-Forwarded-For is believed: Express's `trust proxy`, shared by HTTP and sockets. */
export type TrustProxy = number | string | undefined;

/** The address a request came from, through the proxies the configuration trusts and no others. */
export function clientAddressOf(request: IncomingMessage, trustProxy: TrustProxy): string {
  if (trustProxy === undefined) return request.socket.remoteAddress ?? 'unknown';
  const trust = typeof trustProxy === 'number' ? (_address: string, hop: number) => hop < trustProxy : proxyaddr.compile(trustProxy);
  return proxyaddr(request, trust);
}
