/**
 * The names this server answers to (the Host header). Against DNS rebinding: a page on
 * evil.example whose name is made to resolve to the teacher's laptop is, to the browser, the
 * same origin as the laptop's server, and its requests carry `Host: evil.example`. Only the
 * machine's own addresses and names, localhost, PUBLIC_URL, PUBLIC_ADDRESS and the allowed
 * origins are answered; any other Host gets 421 Misdirected Request (RFC 9110 §15.5.20). A
 * request without a Host (HTTP/1.0: no browser) is let through.
 */
import type { IncomingMessage } from 'node:http';
import os from 'node:os';

/** All of 127.0.0.0/8 is this machine (RFC 1122 §3.2.1.3), though only 127.0.0.1 is on an interface. */
const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/;

/** Interfaces change (the laptop moves to another Wi-Fi): the list is read again this often. */
const REFRESH_MS = 5000;

export class HostAllowList {
  private machine: Set<string> = new Set();
  private readAt = -Infinity;
  private readonly configured: Set<string>;

  constructor(
    /** PUBLIC_URL, ALLOWED_ORIGINS (URLs) and PUBLIC_ADDRESS (host[:port][/path]). */
    configured: readonly string[],
    private readonly interfaces: () => NodeJS.Dict<os.NetworkInterfaceInfo[]> = os.networkInterfaces,
  ) {
    this.configured = new Set(configured.flatMap((c) => hostnameOf(c) ?? []));
  }

  allows(req: IncomingMessage): boolean {
    const host = req.headers.host;
    if (host === undefined) return true;
    const name = hostnameOf(host);
    return name !== undefined && (this.configured.has(name) || LOOPBACK_V4.test(name) || this.machineNames().has(name));
  }

  private machineNames(): Set<string> {
    const now = performance.now();
    if (now - this.readAt < REFRESH_MS) return this.machine;
    this.readAt = now;
    const names = new Set(['localhost', '127.0.0.1', '::1']);
    const hostname = os.hostname().toLowerCase();
    if (hostname) for (const n of [hostname, `${hostname}.local`]) names.add(n);
    for (const infos of Object.values(this.interfaces())) for (const info of infos ?? []) names.add(info.address.toLowerCase().split('%')[0]!);
    return (this.machine = names);
  }
}

/** The bare host name of a Host header, a URL or host[:port][/path], lower-case, IPv6 without brackets. */
function hostnameOf(raw: string): string | undefined {
  try {
    const url = new URL(/^[a-z][a-z0-9+.-]*:\/\//i.test(raw) ? raw : `http://${raw}`);
    return url.hostname.replace(/^\[|\]$/g, '').toLowerCase() || undefined;
  } catch {
    return undefined;
  }
}
