/**
 * A round as a Wireshark capture: every packet the attacker's tap saw on the café Wi-Fi, in
 * Ethernet/IPv4/TCP frames (ethernet-ipv4-tcp.ts) in a pcapng file (pcapng.ts), timestamped
 * in game time. Port 443 carries TLS (levels 4-5), port 80 plain HTTP (level 1, the http://
 * first request and a stripped session), port 4433 the game's own frames of levels 2-3 (not
 * TLS: Wireshark shows them as TCP data).
 *
 * Two files of the same packets: the teacher's, with a Decryption Secrets Block holding the
 * round's TLS key log (Wireshark opens it decrypted), and the attacker's, without secrets —
 * what she really recorded.
 */
import { sha256 } from '@noble/hashes/sha2.js';
import { utf8 } from '../codec/bytes.ts';
import { tryDecodeMessage } from '../messages/codec.ts';
import { looksLikeHttp } from '../messages/http.ts';
import type { Packet, Round } from '../round/state.ts';
import { ADDRESSES } from '../round/world.ts';
import type { Endpoint } from '../round/types.ts';
import { encodeSegment, ipv4, TcpConnection, type Host, type Segment } from './ethernet-ipv4-tcp.ts';
import { LINKTYPE_ETHERNET, tlsKeyLogSecrets, writePcapng, type CapturedFrame } from './pcapng.ts';

export const PORTS = { http: 80, tls: 443, game: 4433 } as const;

/** Locally administered MACs (IEEE 802: the 0x02 bit), one per machine on the Wi-Fi. */
const MAC = {
  router: new Uint8Array([0x02, 0x00, 0x00, 0xca, 0xfe, 0x01]),
  client: new Uint8Array([0x02, 0x00, 0x00, 0xa1, 0x1c, 0x23]),
  attacker: new Uint8Array([0x02, 0x00, 0x00, 0x3a, 0x11, 0x66]),
};

const addressOf = (e: Endpoint): Uint8Array => ipv4(ADDRESSES[e].split(' ')[0]!);

const HOSTS: Record<'client' | 'server' | 'attacker', Host> = {
  client: { mac: MAC.client, ip: addressOf('client') },
  attacker: { mac: MAC.attacker, ip: addressOf('attacker') },
  server: { ip: addressOf('server') }, // beyond the router
};

/** Laptops on the Wi-Fi send with TTL 64; the bank's packets arrive a dozen routers later. */
const TTL = { client: 64, attacker: 64, server: 52 } as const;

type Opener = 'client' | 'attacker';

/** Where a Wi-Fi packet travels: which TCP connection, in which direction, and who really sent it. */
interface Route {
  /** Who opened the connection: Alice, or the attacker's own connection to the bank (her proxy, a stripped session's relay). */
  opener: Opener;
  sender: 0 | 1;
  /** The attacker's MAC when she sent it under another's address. */
  spoofedBy?: Uint8Array;
}

function routeOf(p: Packet): Route {
  switch (p.from) {
    case 'client':
      return { opener: 'client', sender: 0 };
    case 'server':
      // The bank answers the address its connection came from: the attacker's, when her proxy dialled it.
      return { opener: p.to === 'attacker' ? 'attacker' : 'client', sender: 1 };
    default: {
      // Her proxy's upstream, and a connection of her own to the bank (a copy of Alice's first flight), leave from her own address; everything else she sends poses as Alice or the bank.
      if ((p.origin === 'proxied' || p.apparentFrom === 'attacker') && p.to === 'server') return { opener: 'attacker', sender: 0 };
      return { opener: 'client', sender: p.apparentFrom === 'server' || p.to === 'client' ? 1 : 0, spoofedBy: MAC.attacker };
    }
  }
}

function portOf(round: Round, p: Packet): number {
  if (round.module.protection === 'plainHttp' || looksLikeHttp(p.bytes)) return PORTS.http;
  return round.module.protection === 'tls' ? PORTS.tls : PORTS.game;
}

/** Deterministic from the round's bytes, so a seed replays the capture exactly (RFC 9293 §3.4.1 wants ISNs unguessable; a replay wants them fixed). */
function isn(label: string, first: Uint8Array): number {
  const h = sha256(new Uint8Array([...utf8(label), ...first]));
  return new DataView(h.buffer, h.byteOffset).getUint32(0);
}

function comment(p: Packet): string {
  const what = tryDecodeMessage(p.bytes)?.type ?? 'bytes that do not decode';
  const how =
    p.origin === 'edited'
      ? ', edited by the attacker at her tap (what she let through)'
      : p.origin === 'replayed'
        ? ', replayed by the attacker'
        : p.origin === 'injected'
          ? ', injected by the attacker'
          : p.origin === 'proxied'
            ? ', sent by the attacker’s proxy'
            : '';
  const fate = p.status === 'dropped' ? '; dropped at the tap' : p.status === 'held' ? '; still held at the tap' : '';
  return `Handshake Heist packet #${p.id}: ${what}${how}${fate}`;
}

/** Microseconds since 1970: the game clock at round start, plus the packet's time into the round. */
function timestampOf(round: Round, ms: number): bigint {
  return BigInt(round.config.gameClock) * 1_000_000n + BigInt(Math.round((ms - round.startedAt) * 1000));
}

/**
 * Every packet the tap saw, as Ethernet frames with their time and a comment on the first
 * segment. Frames are written in the order they were sent, each at least a microsecond after
 * the one before: a flight of messages sent at one moment keeps its order, segment by segment.
 */
export function captureFrames(round: Round): Omit<CapturedFrame, 'interfaceId'>[] {
  const packets = round.attacker.captured.map((id) => round.packets[id - 1]!).filter((p) => p.path === 'wifi');
  packets.sort((a, b) => a.sentAt - b.sentAt || a.id - b.id);
  const connections = new Map<string, TcpConnection>();
  const ipIds = new Map<Host, number>();
  const nextIpId = (h: Host) => {
    const id = ((ipIds.get(h) ?? 0x1000) + 1) & 0xffff;
    ipIds.set(h, id);
    return id;
  };
  let clientPorts = 0;
  const frames: Omit<CapturedFrame, 'interfaceId'>[] = [];
  let last = -1n;
  const emit = (intended: bigint, segment: Segment, comment?: string) => {
    const timestamp = intended > last ? intended : last + 1n;
    last = timestamp;
    const data = encodeSegment(segment);
    frames.push({ timestamp, data, originalLength: data.length, ...(comment ? { comment } : {}) });
  };
  for (const p of packets) {
    const route = routeOf(p);
    const port = portOf(round, p);
    const key = `${route.opener}:${port}`;
    const at = timestampOf(round, p.sentAt);
    let tcp = connections.get(key);
    if (!tcp) {
      const opener = HOSTS[route.opener];
      tcp = new TcpConnection(
        { host: opener, port: 50_000 + 17 * ++clientPorts, ttl: TTL[route.opener], isn: isn(`${key}/client`, p.bytes) },
        { host: HOSTS.server, port, ttl: TTL.server, isn: isn(`${key}/server`, p.bytes) },
        MAC.router,
        nextIpId,
      );
      connections.set(key, tcp);
      // The three-way handshake just before the first bytes (a round trip of 3 × 100 µs on the capture).
      tcp.open().forEach((s, i) => emit(at - BigInt(300 - 100 * i), s));
    }
    tcp.send(route.sender, p.bytes, route.spoofedBy).forEach((s, i) => emit(at, s, i === 0 ? comment(p) : undefined));
  }
  return frames;
}

const APPLICATION = 'Handshake Heist (synthesised Ethernet/IPv4/TCP around the game’s real bytes)';
const INTERFACE = { linkType: LINKTYPE_ETHERNET, name: 'café Wi-Fi (the attacker’s tap)' };

/** The teacher's and the debrief's capture: the packets, and the key log in a Decryption Secrets Block. */
export function teacherCapture(round: Round): Uint8Array {
  return writePcapng({ application: APPLICATION, interface: INTERFACE, secrets: round.keyLog.length ? [tlsKeyLogSecrets(round.keyLog)] : [], frames: captureFrames(round) });
}

/** The attacker's own recording: the same packets, no secrets. */
export function attackerCapture(round: Round): Uint8Array {
  return writePcapng({ application: APPLICATION, interface: INTERFACE, frames: captureFrames(round) });
}

/** The key log as an SSLKEYLOGFILE (Wireshark: Preferences → Protocols → TLS → (Pre)-Master-Secret log filename). */
export function keyLogFile(round: Round): string {
  return round.keyLog.map((l) => `${l}\n`).join('');
}
