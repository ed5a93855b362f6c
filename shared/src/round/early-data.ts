/**
 * The early-data event's first flight (RFC 8446 §2.3): Alice's ClientHello offering her ticket,
 * and the 0-RTT record sent with it — everything the bank needs to read her order, and all
 * that Mallory needs to make it read it again (§8).
 */
import type { Packet, Round } from './state.ts';

/** Alice's first flight, once it has passed the tap: her ClientHello and the early data records sent with it; empty when she sent no early data. */
export function firstFlight(round: Round): Packet[] {
  const c = round.client;
  if (!c.config.resumption?.earlyData || c.firstHandshakePacket === undefined) return [];
  const hello = round.packets[c.firstHandshakePacket - 1];
  if (!hello || hello.status === 'held') return [];
  return round.packets.filter((p) => p.from === 'client' && p.sentAt === hello.sentAt && p.id >= hello.id && p.status !== 'held');
}
