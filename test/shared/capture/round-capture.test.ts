/**
 * A bot round as the teacher and the attacker download it, read back with the engine's own
 * pcapng reader: the frames Wireshark would see (Ethernet/IPv4/TCP with valid checksums, one
 * three-way handshake per connection, sequence numbers that add up, the right ports), the
 * game's bytes reassembled exactly, and the key log in the teacher's file only.
 */
import { describe, expect, it } from 'vitest';
import { simulateRound } from '../../../shared/src/play/simulate.ts';
import type { Round } from '../../../shared/src/round/state.ts';
import type { AttackerBehaviour, BotBehaviours, Level } from '../../../shared/src/round/types.ts';
import { attackerCapture, keyLogFile, PORTS, teacherCapture } from '../../../shared/src/capture/round-capture.ts';
import { keyLogLines, readPcapng } from '../../../shared/src/capture/pcapng.ts';
import { decodeSegment, encodeSegment, ipv4, ipv4Text, MSS, TCP_FLAGS, TcpConnection, type DecodedSegment } from '../../../shared/src/capture/ethernet-ipv4-tcp.ts';
import { concat, toHex } from '../../../shared/src/codec/bytes.ts';
import { tryDecodeMessage } from '../../../shared/src/messages/codec.ts';
import { looksLikeHttp } from '../../../shared/src/messages/http.ts';

const ALICE = '198.51.100.23';
const BANK = '203.0.113.10';
const MALLORY = '198.51.100.66';

function play(level: Level, attacker: AttackerBehaviour, client: BotBehaviours['client'] = 'careless'): Round {
  const { round, refused } = simulateRound(level, { client, server: 'standard', ca: 'strict', attacker }, `capture-${level}-${attacker}`);
  expect(refused).toEqual([]);
  return round;
}

function segments(bytes: Uint8Array): (DecodedSegment & { timestamp: bigint; comment?: string })[] {
  return readPcapng(bytes).frames.map((f) => {
    const s = decodeSegment(f.data);
    if (!s) throw new Error('a frame that is not Ethernet/IPv4/TCP');
    return { ...s, timestamp: f.timestamp, ...(f.comment ? { comment: f.comment } : {}) };
  });
}

const flow = (s: DecodedSegment) => `${ipv4Text(s.srcIp)}:${s.srcPort}>${ipv4Text(s.dstIp)}:${s.dstPort}`;
const reverse = (s: DecodedSegment) => `${ipv4Text(s.dstIp)}:${s.dstPort}>${ipv4Text(s.srcIp)}:${s.srcPort}`;

/** Every connection opens with SYN, SYN-ACK, ACK; after it each side's sequence numbers count its bytes, and every ACK the other side's. */
function checkTcp(segs: DecodedSegment[]): Map<string, Uint8Array> {
  const next = new Map<string, number>();
  const streams = new Map<string, Uint8Array>();
  for (const s of segs) {
    expect(s.ipChecksumOk).toBe(true);
    expect(s.tcpChecksumOk).toBe(true);
    const f = flow(s);
    if (s.flags & TCP_FLAGS.syn) {
      expect(s.payload.length).toBe(0);
      expect(s.mss).toBe(MSS);
      if (s.flags & TCP_FLAGS.ack) expect(s.ack).toBe(next.get(reverse(s)));
      next.set(f, (s.seq + 1) >>> 0);
      streams.set(f, new Uint8Array(0));
      continue;
    }
    expect(next.has(f)).toBe(true); // no data before its connection's handshake
    expect(s.seq).toBe(next.get(f));
    expect(s.flags & TCP_FLAGS.ack).toBeTruthy();
    expect(s.ack).toBe(next.get(reverse(s)));
    expect(s.payload.length).toBeLessThanOrEqual(MSS);
    next.set(f, (s.seq + s.payload.length) >>> 0);
    streams.set(f, concat(streams.get(f)!, s.payload));
  }
  return streams;
}

function wifi(round: Round) {
  return round.attacker.captured.map((id) => round.packets[id - 1]!).sort((a, b) => a.sentAt - b.sentAt || a.id - b.id);
}

describe('a round as a capture', () => {
  it('level 4, recorded: the http:// request on port 80, TLS on 443, each side’s bytes reassembled exactly, the key log in the teacher’s file only', () => {
    const round = play(4, 'passive');
    expect(round.result?.outcome).toBe('secure');
    const teacher = teacherCapture(round);
    const segs = segments(teacher);
    const streams = checkTcp(segs);
    const ports = [...streams.keys()].map((k) => k.replace(/:\d{5}/g, ':client')).sort();
    expect(ports).toEqual(
      [`${ALICE}:client>${BANK}:80`, `${ALICE}:client>${BANK}:443`, `${BANK}:443>${ALICE}:client`, `${BANK}:80>${ALICE}:client`].sort(),
    );
    const sent = (from: 'client' | 'server', http: boolean) => concat(...wifi(round).filter((p) => p.from === from && looksLikeHttp(p.bytes) === http).map((p) => p.bytes));
    const stream = (src: string, port: number, toBank: boolean) => [...streams].find(([k]) => (toBank ? k.startsWith(src) && k.endsWith(`:${port}`) : k.startsWith(`${BANK}:${port}`)))![1];
    expect(toHex(stream(ALICE, 80, true))).toBe(toHex(sent('client', true)));
    expect(toHex(stream(ALICE, 443, true))).toBe(toHex(sent('client', false)));
    expect(toHex(stream(BANK, 443, false))).toBe(toHex(sent('server', false)));
    expect(tryDecodeMessage(stream(ALICE, 80, true))?.type).toBe('HttpRequest');

    // The Decryption Secrets Block holds the engine's key log: Alice's one session, its pre-master (by the first 8 bytes of its encryption) and master secret.
    const lines = keyLogLines(readPcapng(teacher));
    expect(lines).toEqual(round.keyLog);
    const hello = wifi(round).map((p) => tryDecodeMessage(p.bytes)).find((m) => m?.type === 'ClientHello');
    if (hello?.type !== 'ClientHello') throw new Error('no ClientHello on the wire');
    const exchange = wifi(round).map((p) => tryDecodeMessage(p.bytes)).find((m) => m?.type === 'ClientKeyExchange');
    if (exchange?.type !== 'ClientKeyExchange') throw new Error('no ClientKeyExchange on the wire');
    expect(lines).toEqual([
      expect.stringMatching(new RegExp(`^RSA ${toHex(exchange.encryptedPreMaster.subarray(0, 8))} 0303[0-9a-f]{92}$`)),
      expect.stringMatching(new RegExp(`^CLIENT_RANDOM ${toHex(hello.random)} [0-9a-f]{96}$`)),
    ]);
    expect(keyLogFile(round)).toBe(lines.map((l) => `${l}\n`).join(''));

    // The attacker's recording: the same frames, no secrets.
    const hers = readPcapng(attackerCapture(round));
    expect(hers.secrets).toEqual([]);
    expect(hers.frames.map((f) => toHex(f.data))).toEqual(readPcapng(teacher).frames.map((f) => toHex(f.data)));
  });

  it('stamps frames in game time and labels each game packet', () => {
    const round = play(4, 'passive');
    const segs = segments(teacherCapture(round));
    const start = BigInt(round.config.gameClock) * 1_000_000n;
    for (const s of segs) expect(s.timestamp >= start && s.timestamp < start + 60_000_000n).toBe(true);
    expect(segs.map((s) => s.timestamp)).toEqual([...segs.map((s) => s.timestamp)].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0)));
    const labelled = segs.filter((s) => s.comment).map((s) => s.comment);
    expect(labelled).toHaveLength(wifi(round).length);
    expect(labelled).toContain(`Handshake Heist packet #${wifi(round).find((p) => tryDecodeMessage(p.bytes)?.type === 'ClientHello')!.id}: ClientHello`);
  });

  it('level 5: the five TLS 1.3 secrets of the session', () => {
    const round = play(5, 'passive');
    const lines = keyLogLines(readPcapng(teacherCapture(round)));
    expect(lines).toEqual(round.keyLog);
    expect(lines.map((l) => l.split(' ')[0])).toEqual(['CLIENT_HANDSHAKE_TRAFFIC_SECRET', 'SERVER_HANDSHAKE_TRAFFIC_SECRET', 'CLIENT_TRAFFIC_SECRET_0', 'SERVER_TRAFFIC_SECRET_0', 'EXPORTER_SECRET']);
    expect(readPcapng(attackerCapture(round)).secrets).toEqual([]);
  });

  it('a man in the middle: Alice’s connection answered under the bank’s address from the attacker’s MAC, and the attacker’s own connection to the bank; both sessions’ keys logged', () => {
    const round = play(4, 'fakeCertificate');
    expect(round.result?.outcome).toBe('impersonated');
    const segs = segments(teacherCapture(round));
    const streams = checkTcp(segs);
    const tls = [...streams.keys()].filter((k) => k.includes(':443')).map((k) => k.replace(/:\d{5}/g, ':client')).sort();
    expect(tls).toEqual([`${ALICE}:client>${BANK}:443`, `${BANK}:443>${ALICE}:client`, `${BANK}:443>${MALLORY}:client`, `${MALLORY}:client>${BANK}:443`].sort());
    const spoofed = segs.filter((s) => ipv4Text(s.srcIp) === BANK && ipv4Text(s.dstIp) === ALICE && s.payload.length > 0 && s.srcPort === 443);
    expect(spoofed.length).toBeGreaterThan(0);
    const mallorysMac = segs.find((s) => ipv4Text(s.srcIp) === MALLORY)!.srcMac;
    for (const s of spoofed) expect(toHex(s.srcMac)).toBe(toHex(mallorysMac));
    expect(round.keyLog.filter((l) => l.startsWith('CLIENT_RANDOM'))).toHaveLength(2);
    expect(keyLogLines(readPcapng(teacherCapture(round)))).toEqual(round.keyLog);
  });

  it('level 1 is plain HTTP on port 80 and level 3 the game’s own frames on 4433; neither has a key log', () => {
    for (const [level, port] of [
      [1, PORTS.http],
      [3, PORTS.game],
    ] as const) {
      const round = play(level, 'passive');
      const file = readPcapng(teacherCapture(round));
      expect(file.secrets).toEqual([]);
      const data = segments(teacherCapture(round)).filter((s) => s.payload.length > 0);
      expect(data.length).toBe(wifi(round).length);
      for (const s of data) expect([s.srcPort, s.dstPort]).toContain(port);
    }
  });

  it('keeps a flight in order when one of its messages spans several segments (a long certificate chain)', () => {
    const round = play(4, 'passive');
    const flight = wifi(round).filter((p) => p.from === 'server' && ['Certificate', 'ServerHelloDone'].includes(tryDecodeMessage(p.bytes)?.type ?? ''));
    expect(flight).toHaveLength(2);
    expect(flight[0]!.sentAt).toBe(flight[1]!.sentAt);
    flight[0]!.bytes = new Uint8Array(3 * MSS + 7).fill(0x16); // sent at the same moment as what follows it
    const segs = segments(teacherCapture(round));
    checkTcp(segs);
    for (let i = 1; i < segs.length; i++) expect(segs[i]!.timestamp > segs[i - 1]!.timestamp).toBe(true);
  });

  it('splits bytes longer than one MSS into segments whose sequence numbers add up, PSH on the last', () => {
    const host = (ip: string, mac?: number) => ({ ip: ipv4(ip), ...(mac ? { mac: new Uint8Array([2, 0, 0, 0, 0, mac]) } : {}) });
    let id = 0;
    const tcp = new TcpConnection({ host: host(ALICE, 1), port: 50000, ttl: 64, isn: 0xfffffff0 }, { host: host(BANK), port: 443, ttl: 52, isn: 7 }, new Uint8Array([2, 0, 0, 0, 0, 9]), () => ++id);
    const open = tcp.open().map((s) => decodeSegment(encodeSegment(s))!);
    expect(open.map((s) => s.flags)).toEqual([TCP_FLAGS.syn, TCP_FLAGS.syn | TCP_FLAGS.ack, TCP_FLAGS.ack]);
    const data = tcp.send(1, new Uint8Array(4000).fill(0x17)).map((s) => decodeSegment(encodeSegment(s))!);
    expect(data.map((s) => s.payload.length)).toEqual([1460, 1460, 1080]);
    expect(data.map((s) => s.seq)).toEqual([8, 8 + 1460, 8 + 2920]);
    expect(data.map((s) => s.flags & TCP_FLAGS.psh)).toEqual([0, 0, TCP_FLAGS.psh]);
    expect(data.every((s) => s.ack === 0xfffffff1 && toHex(s.dstMac) === '020000000001' && toHex(s.srcMac) === '020000000009')).toBe(true);
    const wrapped = tcp.send(0, new Uint8Array(20)).map((s) => decodeSegment(encodeSegment(s))!);
    expect(wrapped[0]!.seq).toBe(0xfffffff1);
    expect(tcp.send(0, new Uint8Array(1)).map((s) => s.seq)).toEqual([(0xfffffff1 + 20) >>> 0]); // wraps modulo 2^32
  });
});
