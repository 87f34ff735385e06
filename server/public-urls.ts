import os from 'node:os';

/** The first non-internal IPv4 address of this machine, which phones on the same Wi-Fi can reach. */
export function lanAddress(): string | undefined {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return undefined;
}

/** Whether an address is one of this machine's own (loopback or any interface's): not another device. */
export function isOwnAddress(address: string): boolean {
  const plain = address.replace(/^::ffff:/, '');
  if (plain === '::1' || plain.startsWith('127.')) return true;
  return Object.values(os.networkInterfaces()).some((addresses) => addresses?.some((candidate) => candidate.address === plain));
}

/** The base URL people open: PUBLIC_URL when set, else this machine's LAN address and port. */
export function publicBaseUrl(publicUrl: string | undefined, port: number, isHttps = false): string {
  return publicUrl ?? `${isHttps ? 'https' : 'http'}://${lanAddress() ?? 'localhost'}:${port}`;
}

export interface SessionUrls {
  presenter: string;
  /** The presenter console (notes, pacing, controls), on a second screen or a phone. */
  console: string;
  organizer: string;
  join: string;
  /** The join URL in capitals where that is equivalent, so the QR code can use its compact alphanumeric mode. */
  joinQr: string;
}

/** The keys travel in the URL fragment, which browsers never send to a server or in a Referer. */
export function sessionUrls(base: string, code: string, keys?: { presenterKey: string; organizerKey: string }): SessionUrls {
  const join = `${base}/join/${code}`;
  const isOriginOnly = new URL(base).pathname === '/';
  return {
    presenter: keys ? `${base}/present/${code}#key=${keys.presenterKey}` : `${base}/present/${code}`,
    console: keys ? `${base}/console/${code}#key=${keys.presenterKey}` : `${base}/console/${code}`,
    organizer: keys ? `${base}/organizer/${code}#key=${keys.organizerKey}` : `${base}/organizer/${code}`,
    join,
    joinQr: isOriginOnly ? `${base.toUpperCase()}/JOIN/${code}` : join,
  };
}
