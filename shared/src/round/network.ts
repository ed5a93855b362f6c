/**
 * The network: packets with a delay, the café Wi-Fi path that passes the attacker's tap, and
 * the CA path that does not. The tap sees every Wi-Fi packet; with intercept on it holds
 * them; with the proxy or stripping on it answers in the bank's place.
 */
import { encodeMessage } from '../messages/codec.ts';
import type { Message } from '../messages/types.ts';
import type { Endpoint, PacketOrigin } from './types.ts';
import type { Packet, Round } from './state.ts';
import { passTap } from './tap.ts';
import { proxySendOptions, type ProxySend } from './proxy.ts';

export interface SendOptions {
  origin?: PacketOrigin;
  apparentFrom?: Endpoint;
  apparentTo?: Endpoint;
}

export function sendPacket(round: Round, from: Endpoint, to: Endpoint, payload: Message | Uint8Array, options: SendOptions = {}): Packet {
  const bytes = payload instanceof Uint8Array ? payload : encodeMessage(payload);
  const path = from === 'ca' || to === 'ca' ? 'ca' : 'wifi';
  const packet: Packet = {
    id: round.packets.length + 1,
    from,
    to,
    apparentFrom: options.apparentFrom ?? from,
    apparentTo: options.apparentTo ?? to,
    bytes,
    path,
    status: 'inFlight',
    origin: options.origin ?? 'genuine',
    sentAt: round.now,
    arriveAt: round.now + round.config.latencyMs,
  };
  round.packets.push(packet);
  if (path === 'wifi') {
    round.attacker.captured.push(packet.id);
    if (round.attacker.intercept && from !== 'attacker') {
      packet.status = 'held';
      packet.arriveAt = Number.POSITIVE_INFINITY;
      round.attacker.held.push(packet.id);
      return packet;
    }
    sendProxied(round, passTap(round, packet));
  }
  return packet;
}

/** Sends what the attacker's proxy returned, in order; the records she sealed herself are hers to read. */
export function sendProxied(round: Round, sends: readonly ProxySend[]): void {
  for (const s of sends) {
    const packet = sendPacket(round, 'attacker', s.to, s.message, proxySendOptions(s));
    if (s.reads) round.attacker.opened.set(packet.id, { message: s.reads });
  }
}

/** Releases a held packet: it continues with half a hop left to travel. */
export function release(round: Round, packet: Packet): void {
  round.attacker.held = round.attacker.held.filter((id) => id !== packet.id);
  packet.status = 'inFlight';
  packet.arriveAt = round.now + Math.round(round.config.latencyMs / 2);
  sendProxied(round, passTap(round, packet));
}

export function packetById(round: Round, id: number): Packet | undefined {
  return round.packets[id - 1];
}

export function inFlight(round: Round): Packet[] {
  return round.packets.filter((p) => p.status === 'inFlight');
}

/** The next packet due at or before `now`, earliest first (ties by id, so delivery order is deterministic). */
export function nextDue(round: Round, now: number): Packet | undefined {
  let best: Packet | undefined;
  for (const p of round.packets) {
    if (p.status !== 'inFlight' || p.arriveAt > now) continue;
    if (!best || p.arriveAt < best.arriveAt || (p.arriveAt === best.arriveAt && p.id < best.id)) best = p;
  }
  return best;
}
