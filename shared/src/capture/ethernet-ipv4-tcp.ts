/**
 * The layers under the game's bytes as a capture shows them: Ethernet II frames (IEEE 802.3
 * with an EtherType), IPv4 (RFC 791) and TCP (RFC 9293). The game has no TCP of its own, so a
 * capture synthesises it: each conversation opens with SYN, SYN-ACK, ACK, carries every
 * side's bytes in order with consistent sequence and acknowledgement numbers, split into
 * segments of at most one MSS, with real checksums (RFC 1071), so Wireshark reassembles the
 * stream and dissects the TLS records in it. Pure: bytes in, bytes out.
 */

export const ETHERTYPE_IPV4 = 0x0800;
export const IP_PROTOCOL_TCP = 6;
/** A common Ethernet MSS: 1500-byte MTU less 20 bytes of IPv4 and 20 of TCP. */
export const MSS = 1460;

export const TCP_FLAGS = { fin: 0x01, syn: 0x02, rst: 0x04, psh: 0x08, ack: 0x10 } as const;

export interface Host {
  /** A machine on the Wi-Fi has its own MAC; one beyond the router (the bank) is reached through the gateway's. */
  mac?: Uint8Array;
  ip: Uint8Array;
}

export interface Segment {
  srcMac: Uint8Array;
  dstMac: Uint8Array;
  srcIp: Uint8Array;
  dstIp: Uint8Array;
  /** IPv4 identification (RFC 791 §3.1; RFC 6864: any value for atomic datagrams). */
  ipId: number;
  ttl: number;
  srcPort: number;
  dstPort: number;
  seq: number;
  ack: number;
  flags: number;
  /** Sent in SYN and SYN-ACK (RFC 9293 §3.7.1). */
  mss?: number;
  payload: Uint8Array;
}

/** RFC 1071: the ones' complement of the ones' complement sum of 16-bit words. */
export function internetChecksum(...parts: Uint8Array[]): number {
  let sum = 0;
  let odd: number | undefined;
  for (const part of parts) {
    for (const byte of part) {
      if (odd === undefined) odd = byte;
      else {
        sum += (odd << 8) | byte;
        odd = undefined;
      }
    }
  }
  if (odd !== undefined) sum += odd << 8;
  while (sum > 0xffff) sum = (sum & 0xffff) + (sum >>> 16);
  return ~sum & 0xffff;
}

/** A dotted-quad IPv4 address as 4 bytes. */
export function ipv4(text: string): Uint8Array {
  const parts = text.split('.').map(Number);
  if (parts.length !== 4 || parts.some((p) => !Number.isInteger(p) || p < 0 || p > 255)) throw new Error(`not an IPv4 address: ${text}`);
  return new Uint8Array(parts);
}

export function ipv4Text(ip: Uint8Array): string {
  return [...ip].join('.');
}

function tcpHeader(s: Segment): Uint8Array {
  const optionBytes = s.mss !== undefined ? 4 : 0;
  const h = new Uint8Array(20 + optionBytes);
  const v = new DataView(h.buffer);
  v.setUint16(0, s.srcPort);
  v.setUint16(2, s.dstPort);
  v.setUint32(4, s.seq >>> 0);
  v.setUint32(8, s.ack >>> 0);
  h[12] = ((20 + optionBytes) / 4) << 4; // data offset in 32-bit words
  h[13] = s.flags;
  v.setUint16(14, 65535); // window
  if (s.mss !== undefined) {
    h[20] = 2; // kind: Maximum Segment Size
    h[21] = 4;
    v.setUint16(22, s.mss);
  }
  return h;
}

/** One Ethernet frame carrying one TCP segment in one IPv4 datagram. */
export function encodeSegment(s: Segment): Uint8Array {
  const tcp = tcpHeader(s);
  const tcpLength = tcp.length + s.payload.length;
  // RFC 9293 §3.1: the checksum covers a pseudo-header of addresses, protocol and TCP length.
  const pseudo = new Uint8Array(12);
  pseudo.set(s.srcIp, 0);
  pseudo.set(s.dstIp, 4);
  pseudo[9] = IP_PROTOCOL_TCP;
  new DataView(pseudo.buffer).setUint16(10, tcpLength);
  new DataView(tcp.buffer).setUint16(16, internetChecksum(pseudo, tcp, s.payload));

  const ip = new Uint8Array(20);
  const iv = new DataView(ip.buffer);
  ip[0] = 0x45; // version 4, header length 5 words
  iv.setUint16(2, 20 + tcpLength);
  iv.setUint16(4, s.ipId & 0xffff);
  iv.setUint16(6, 0x4000); // Don't Fragment
  ip[8] = s.ttl;
  ip[9] = IP_PROTOCOL_TCP;
  ip.set(s.srcIp, 12);
  ip.set(s.dstIp, 16);
  iv.setUint16(10, internetChecksum(ip));

  const frame = new Uint8Array(14 + 20 + tcpLength);
  frame.set(s.dstMac, 0);
  frame.set(s.srcMac, 6);
  new DataView(frame.buffer).setUint16(12, ETHERTYPE_IPV4);
  frame.set(ip, 14);
  frame.set(tcp, 34);
  frame.set(s.payload, 34 + tcp.length);
  return frame;
}

export interface DecodedSegment extends Omit<Segment, 'ipId' | 'mss'> {
  ipId: number;
  mss?: number;
  ipChecksumOk: boolean;
  tcpChecksumOk: boolean;
}

/** Reads a frame `encodeSegment` could have written; undefined for anything that is not Ethernet/IPv4/TCP. */
export function decodeSegment(frame: Uint8Array): DecodedSegment | undefined {
  if (frame.length < 54) return undefined;
  const v = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (v.getUint16(12) !== ETHERTYPE_IPV4 || frame[14]! >> 4 !== 4) return undefined;
  const ihl = (frame[14]! & 0x0f) * 4;
  const total = v.getUint16(16);
  if (ihl < 20 || frame[23] !== IP_PROTOCOL_TCP || 14 + total > frame.length || total < ihl + 20) return undefined;
  const ip = frame.subarray(14, 14 + ihl);
  const tcpStart = 14 + ihl;
  const tcpAll = frame.subarray(tcpStart, 14 + total);
  const dataOffset = (tcpAll[12]! >> 4) * 4;
  if (dataOffset < 20 || dataOffset > tcpAll.length) return undefined;
  const tv = new DataView(tcpAll.buffer, tcpAll.byteOffset, tcpAll.byteLength);
  let mss: number | undefined;
  for (let at = 20; at < dataOffset; ) {
    const kind = tcpAll[at]!;
    if (kind === 0) break;
    if (kind === 1) {
      at++;
      continue;
    }
    const len = tcpAll[at + 1] ?? 0;
    if (len < 2 || at + len > dataOffset) return undefined;
    if (kind === 2 && len === 4) mss = tv.getUint16(at + 2);
    at += len;
  }
  const pseudo = new Uint8Array(12);
  pseudo.set(ip.subarray(12, 20), 0);
  pseudo[9] = IP_PROTOCOL_TCP;
  new DataView(pseudo.buffer).setUint16(10, tcpAll.length);
  return {
    dstMac: frame.slice(0, 6),
    srcMac: frame.slice(6, 12),
    srcIp: ip.slice(12, 16),
    dstIp: ip.slice(16, 20),
    ipId: v.getUint16(18),
    ttl: frame[22]!,
    srcPort: tv.getUint16(0),
    dstPort: tv.getUint16(2),
    seq: tv.getUint32(4),
    ack: tv.getUint32(8),
    flags: tcpAll[13]!,
    ...(mss !== undefined ? { mss } : {}),
    payload: tcpAll.slice(dataOffset),
    ipChecksumOk: internetChecksum(ip) === 0,
    tcpChecksumOk: internetChecksum(pseudo, tcpAll) === 0,
  };
}

/** One side of a TCP connection: where its next byte goes in the sequence space. */
interface Side {
  host: Host;
  port: number;
  ttl: number;
  next: number;
}

/**
 * A TCP connection as the capture shows it: `open` writes the three-way handshake, `send`
 * the segments of one side's bytes, acknowledging everything the other side has sent.
 */
export class TcpConnection {
  private readonly sides: [Side, Side];

  constructor(
    client: { host: Host; port: number; ttl: number; isn: number },
    server: { host: Host; port: number; ttl: number; isn: number },
    private readonly gateway: Uint8Array,
    private readonly nextIpId: (host: Host) => number,
  ) {
    this.sides = [
      { host: client.host, port: client.port, ttl: client.ttl, next: client.isn >>> 0 },
      { host: server.host, port: server.port, ttl: server.ttl, next: server.isn >>> 0 },
    ];
  }

  /** SYN, SYN-ACK, ACK (RFC 9293 §3.5); each SYN takes one sequence number. */
  open(): Segment[] {
    const [c, s] = this.sides;
    const syn = this.segment(0, TCP_FLAGS.syn, new Uint8Array(0), 0, MSS);
    c.next = (c.next + 1) >>> 0;
    const synAck = this.segment(1, TCP_FLAGS.syn | TCP_FLAGS.ack, new Uint8Array(0), c.next, MSS);
    s.next = (s.next + 1) >>> 0;
    return [syn, synAck, this.segment(0, TCP_FLAGS.ack, new Uint8Array(0), s.next)];
  }

  /**
   * One side's bytes, in MSS-sized segments, PSH on the last. `sender`: 0 the client, 1 the
   * server; `spoofedBy`: the MAC of whoever really put them on the Wi-Fi, when not the sender.
   */
  send(sender: 0 | 1, bytes: Uint8Array, spoofedBy?: Uint8Array): Segment[] {
    const out: Segment[] = [];
    const from = this.sides[sender];
    const to = this.sides[sender === 0 ? 1 : 0];
    for (let at = 0; at < bytes.length; at += MSS) {
      const payload = bytes.subarray(at, at + MSS);
      const last = at + MSS >= bytes.length;
      const seg = this.segment(sender, TCP_FLAGS.ack | (last ? TCP_FLAGS.psh : 0), payload, to.next);
      if (spoofedBy) seg.srcMac = spoofedBy;
      out.push(seg);
      from.next = (from.next + payload.length) >>> 0;
    }
    return out;
  }

  private segment(sender: 0 | 1, flags: number, payload: Uint8Array, ack: number, mss?: number): Segment {
    const from = this.sides[sender];
    const to = this.sides[sender === 0 ? 1 : 0];
    // On the Wi-Fi every frame goes between a laptop and the router: the far side's MAC is the gateway's.
    const srcMac = from.host.mac ?? this.gateway;
    const dstMac = to.host.mac ?? this.gateway;
    return {
      srcMac,
      dstMac,
      srcIp: from.host.ip,
      dstIp: to.host.ip,
      ipId: this.nextIpId(from.host),
      ttl: from.ttl,
      srcPort: from.port,
      dstPort: to.port,
      seq: from.next,
      ack: flags & TCP_FLAGS.ack ? ack : 0,
      flags,
      ...(mss !== undefined ? { mss } : {}),
      payload: payload.slice(),
    };
  }
}
