/**
 * Where students can reach this server, for the join link and the QR code: `localhost` is
 * the teacher's own laptop, not the students'. A PUBLIC_URL (a name, a proxy) wins; else the
 * address the server is bound to; else every address of the machine, the school network's
 * first: IPv4 before IPv6, private LAN ranges before others, virtual adapters (Docker, VMs,
 * VPNs) after real ones, and this machine's own loopback last.
 */
import os from 'node:os';

type Interfaces = NodeJS.Dict<os.NetworkInterfaceInfo[]>;

const VIRTUAL = /^(docker|br-|veth|virbr|vmnet|vboxnet|lxc|lxd|cni|flannel|podman|tun|tap|utun|wg|zt|tailscale|awdl|llw)/i;
const WILDCARD = new Set(['', '0.0.0.0', '::', '[::]']);

export function reachableUrls(options: { port: number; host?: string; publicUrl?: string; interfaces?: Interfaces }): string[] {
  if (options.publicUrl) return [new URL(options.publicUrl).toString()];
  const host = options.host ?? '';
  if (!WILDCARD.has(host)) return [urlFor(host, options.port)];
  const ipv6 = host !== '0.0.0.0'; // '::' listens on both families
  const found: { address: string; rank: number }[] = [];
  for (const [name, infos] of Object.entries(options.interfaces ?? os.networkInterfaces())) {
    for (const info of infos ?? []) {
      const v4 = info.family === 'IPv4';
      if (!v4 && (!ipv6 || info.internal || /^fe80:/i.test(info.address))) continue; // link-local needs a zone id no browser takes
      const rank = info.internal ? 9 : (v4 ? 0 : 4) + (VIRTUAL.test(name) ? 2 : 0) + (v4 && !isPrivateIPv4(info.address) ? 1 : 0);
      found.push({ address: info.address, rank });
    }
  }
  found.sort((a, b) => a.rank - b.rank || privateOrder(a.address) - privateOrder(b.address));
  return [...new Set(found.map((f) => urlFor(f.address, options.port)))];
}

function urlFor(host: string, port: number): string {
  const bare = host.replace(/^\[|\]$/g, '');
  return new URL(`http://${bare.includes(':') ? `[${bare}]` : bare}:${port}/`).toString();
}

function isPrivateIPv4(address: string): boolean {
  return privateOrder(address) < 3;
}

/** Home and school routers hand out 192.168/16 or 10/8; 172.16/12 is also where Docker lives. */
function privateOrder(address: string): number {
  if (address.startsWith('192.168.')) return 0;
  if (address.startsWith('10.')) return 1;
  const m = /^172\.(\d+)\./.exec(address);
  if (m && Number(m[1]) >= 16 && Number(m[1]) <= 31) return 2;
  return 3;
}
