/**
 * TLS 1.3 session tickets, resumption and 0-RTT (RFC 8446 §2.2-2.3, §4.2.10-4.2.11, §4.6.1, §8):
 * - the NewSessionTicket body (lifetime, age_add, nonce, ticket, early_data's max size), which
 *   the codec keeps as bytes;
 * - the bank's own tickets: the session's PSK and when it was issued, sealed with its ticket key
 *   (AES-128-GCM: a self-encrypted ticket, so the bank keeps no table of sessions — and anyone
 *   who steals that key opens every ticket it sealed);
 * - the binder (§4.2.11.2): an HMAC over the ClientHello up to its binders, keyed from the
 *   ticket's PSK, which proves the client holds the PSK and binds the hello to it;
 * - single-use tickets (§8.1): what a careful bank remembers of the tickets already used.
 * Pure: randomness and time are passed in.
 */
import { concat, toHex } from '../codec/bytes.ts';
import { Reader } from '../codec/reader.ts';
import { Writer } from '../codec/writer.ts';
import { aesGcmOpen, aesGcmSeal, sha256 } from '../crypto/primitives.ts';
import type { Rng } from '../crypto/rng.ts';
import { tls13Binder, tls13ClientEarlyTrafficSecret, tls13EarlySecrets, TLS13_HASH_LENGTH } from '../crypto/tls13-key-schedule.ts';
import { encodeHandshake } from '../messages/codec.ts';
import { EXTENSION_TYPES } from '../messages/tls-codes.ts';
import type { Extension, MessageOf } from '../messages/types.ts';
import { append, transcriptHash } from './transcript.ts';

/** RFC 8446 §4.2.9: the ticket with a fresh (EC)DHE exchange too (forward secrecy kept), or alone. */
export const PSK_MODE = { pskKe: 0, pskDheKe: 1 } as const;

/** §4.6.1: what a NewSessionTicket says. */
export interface TicketBody {
  /** Seconds the ticket may be used (at most 7 days). */
  lifetime: number;
  /** Added (mod 2^32) to the ticket's age in ms when the client offers it, so its age does not link visits. */
  ageAdd: number;
  nonce: Uint8Array;
  /** The ticket itself: opaque to the client. */
  ticket: Uint8Array;
  /** The early_data extension: how many bytes of 0-RTT data the client may send with it; absent, none. */
  maxEarlyDataSize?: number;
}

export function encodeTicketBody(t: TicketBody): Uint8Array {
  const w = new Writer();
  w.u32(t.lifetime, 'ticket_lifetime').u32(t.ageAdd, 'ticket_age_add').vector(1, t.nonce, 'ticket_nonce').vector(2, t.ticket, 'ticket');
  w.sub(2, (l) => {
    if (t.maxEarlyDataSize !== undefined) l.u16(EXTENSION_TYPES.code('early_data'), 'extension type').sub(2, (d) => d.u32(t.maxEarlyDataSize!, 'max_early_data_size'), 'early_data');
  }, 'extensions');
  return w.finish();
}

/** Reads a NewSessionTicket body; throws a CodecError on bytes that are not one. */
export function decodeTicketBody(body: Uint8Array): TicketBody {
  const r = Reader.over(body);
  const lifetime = r.u32();
  const ageAdd = r.u32();
  const nonce = r.vector(1);
  const ticket = r.vector(2);
  if (ticket.length === 0) throw r.bad('a ticket is at least one byte');
  const extensions = r.sub(2);
  let maxEarlyDataSize: number | undefined;
  while (extensions.remaining > 0) {
    const code = extensions.u16();
    const data = extensions.sub(2);
    if (code === EXTENSION_TYPES.code('early_data')) maxEarlyDataSize = data.u32();
    else data.rest();
  }
  r.expectEnd();
  return { lifetime, ageAdd, nonce, ticket, ...(maxEarlyDataSize !== undefined ? { maxEarlyDataSize } : {}) };
}

/** What a client keeps of a ticket to come back with (as a browser's session cache does). */
export interface SessionTicket {
  ticket: Uint8Array;
  /** The resumption PSK (§4.6.1: from the resumption master secret and the ticket's nonce). */
  psk: Uint8Array;
  ageAdd: number;
  lifetime: number;
  maxEarlyDataSize: number;
  /** When its NewSessionTicket arrived, in game ms on the client's clock: the ticket's age counts from here (§4.2.11.1). */
  receivedAtMs: number;
}

/** What a resuming client offers: a ticket, and the request it sends as 0-RTT early data (if any). Its age comes from the clock when offered. */
export interface Resumption {
  ticket: SessionTicket;
  /** Sent before the handshake completes (0-RTT), sealed under client_early_traffic_secret. */
  earlyData?: Uint8Array;
}

/** The context's clock in ms: its millisecond clock where the caller has one, else its game seconds. */
export const clockMs = (ctx: { gameTime: number; gameTimeMs?: number }): number => ctx.gameTimeMs ?? ctx.gameTime * 1000;

/**
 * §4.2.11.1: "The client's view of the age of a ticket is the time since the receipt of the
 * NewSessionTicket message." — in ms, never below 0 (a clock that went back).
 */
export const ticketAgeMs = (ticket: SessionTicket, nowMs: number): number => Math.max(0, Math.round(nowMs - ticket.receivedAtMs));

/**
 * §4.2.11.1: the obfuscated_ticket_age is "the age in milliseconds and adding the
 * "ticket_age_add" value that was included with the ticket (see Section 4.6.1), modulo 2^32" —
 * so an onlooker cannot link two visits by the age; the bank subtracts age_add to read it back.
 */
export const obfuscateTicketAge = (ageMs: number, ageAdd: number): number => (ageMs + ageAdd) % 2 ** 32;
export const clientsTicketAge = (obfuscatedTicketAge: number, ageAdd: number): number => (obfuscatedTicketAge - ageAdd + 2 ** 32) % 2 ** 32;

/**
 * §8.3 freshness: the bank knows when it issued the ticket (sealed in it) and reads the client's
 * view of its age from the hello, so it knows when the hello should arrive: expected_arrival_time
 * = adjusted_creation_time + clients_ticket_age. adjusted_creation_time = creation_time +
 * estimated_RTT; the bank here estimates no round trip (0), the window absorbs the hops. A hello
 * that arrives more than the window off it is not fresh: 0-RTT refused, the 1-RTT handshake
 * allowed to complete. Ten seconds: §8.3's "windows on the order of ten seconds" (and OpenSSL's
 * allowance, TICKET_AGE_ALLOWANCE).
 */
export const FRESHNESS_WINDOW_MS = 10_000;

export interface Freshness {
  /** The client's view of the ticket's age, read from the hello (ms). */
  clientsTicketAge: number;
  /** adjusted_creation_time + clients_ticket_age (game ms). */
  expectedArrival: number;
  /** The bank's clock when the hello arrived (game ms). */
  arrived: number;
  /** arrived − expectedArrival (ms): positive, the hello is later than its age says. */
  offBy: number;
  fresh: boolean;
}

export function freshness(state: TicketState, obfuscatedTicketAge: number, nowMs: number, windowMs: number): Freshness {
  const age = clientsTicketAge(obfuscatedTicketAge, state.ageAdd);
  const expectedArrival = state.issuedAtMs + age;
  const offBy = nowMs - expectedArrival;
  return { clientsTicketAge: age, expectedArrival, arrived: nowMs, offBy, fresh: Math.abs(offBy) <= windowMs };
}

/**
 * The bank's ticket policy: the key that seals its tickets, and whether it remembers the ones
 * used (§8.1 single-use tickets: a second use of a ticket gets a full handshake, its early data
 * skipped) or not (every copy of a ClientHello is taken as new: its early data replays).
 */
export interface TicketPolicy {
  key: Uint8Array;
  antiReplay: 'singleUse' | 'none';
  /** Tickets already used (their identity, hex): what a single-use bank remembers; every bank records here. */
  used: Set<string>;
  /** The early data it accepts on a ticket it issues, in bytes (0: none). */
  maxEarlyDataSize: number;
  /** Whether the bank sends a NewSessionTicket after each full handshake. */
  issue?: boolean;
  /** §8.3: it reads early data only on a hello that arrives within this many ms of when the ticket's age says it should; absent, it does not look at the age. */
  freshnessWindowMs?: number;
}

/** What the bank sealed in a ticket: the PSK, and when it was issued (game ms: §8.3's creation_time) with the age_add. */
export interface TicketState {
  psk: Uint8Array;
  issuedAtMs: number;
  ageAdd: number;
  maxEarlyDataSize: number;
}

const TICKET_AAD = new TextEncoder().encode('Handshake Heist ticket v2');

/** Seals the session's state under the bank's ticket key: a 12-byte nonce, then AES-GCM ciphertext and tag. */
export function sealTicket(key: Uint8Array, state: TicketState, rng: Rng): Uint8Array {
  const w = new Writer();
  w.bytes(state.psk, TLS13_HASH_LENGTH, 'psk').u64(state.issuedAtMs, 'issuedAtMs').u32(state.ageAdd, 'ageAdd').u32(state.maxEarlyDataSize, 'maxEarlyDataSize');
  const nonce = rng.bytes(12);
  return concat(nonce, aesGcmSeal(key, nonce, w.finish(), TICKET_AAD));
}

/** Opens a ticket sealed by `key`; undefined when it was not (another bank's, or changed). */
export function openTicket(key: Uint8Array, ticket: Uint8Array): TicketState | undefined {
  if (ticket.length < 12 + 16) return undefined;
  const plain = aesGcmOpen(key, ticket.subarray(0, 12), ticket.subarray(12), TICKET_AAD);
  if (!plain || plain.length !== TLS13_HASH_LENGTH + 16) return undefined;
  const r = Reader.over(plain);
  return { psk: r.bytes(TLS13_HASH_LENGTH), issuedAtMs: r.u64(), ageAdd: r.u32(), maxEarlyDataSize: r.u32() };
}

/** A ticket's name in a single-use bank's memory. */
export const ticketId = (ticket: Uint8Array): string => toHex(sha256(ticket)).slice(0, 32);

type PskExtension = Extract<Extension, { type: 'pre_shared_key' }>;

/** The ClientHello's pre_shared_key offer, if it has one. */
export function pskOffer(hello: MessageOf<'ClientHello'>): PskExtension['offer'] {
  return hello.extensions.find((e): e is PskExtension => e.type === 'pre_shared_key')?.offer;
}

/**
 * §4.2.11.2: the hash of the ClientHello up to, not including, its binders list (the length of
 * the list and every entry, at the very end of the message since pre_shared_key comes last).
 */
export function truncatedHelloHash(hello: MessageOf<'ClientHello'>): Uint8Array {
  const offer = pskOffer(hello);
  const bytes = encodeHandshake(hello);
  const binders = offer ? 2 + offer.binders.reduce((n, b) => n + 1 + b.length, 0) : 0;
  return sha256(bytes.subarray(0, bytes.length - binders));
}

/** The binder of the ticket whose PSK is `psk` over this hello. */
export function binderFor(hello: MessageOf<'ClientHello'>, psk: Uint8Array): Uint8Array {
  return tls13Binder(tls13EarlySecrets(psk).binderKey, truncatedHelloHash(hello));
}

/**
 * §7.1: client_early_traffic_secret, which seals the 0-RTT early data: from the ticket's early
 * secret and the ClientHello that offers the ticket alone — so a copy of that hello makes it again.
 */
export function clientEarlyTrafficSecret(earlySecret: Uint8Array, hello: MessageOf<'ClientHello'>): Uint8Array {
  return tls13ClientEarlyTrafficSecret(earlySecret, transcriptHash(append([], hello)));
}

/**
 * The ClientHello with its pre_shared_key (last, §4.2.11) offering `resumption`'s ticket, `ageMs`
 * old, its age obfuscated: first with a placeholder binder of the right length (the binder covers
 * everything before the binders, lengths included — the age too), then with the real one.
 */
export function offerTicket(hello: MessageOf<'ClientHello'>, resumption: Resumption, ageMs: number): MessageOf<'ClientHello'> {
  const { ticket } = resumption;
  const identity = { identity: ticket.ticket, obfuscatedTicketAge: obfuscateTicketAge(ageMs, ticket.ageAdd) };
  const draft: MessageOf<'ClientHello'> = { ...hello, extensions: [...hello.extensions, { type: 'pre_shared_key', offer: { identities: [identity], binders: [new Uint8Array(TLS13_HASH_LENGTH)] } }] };
  const binder = binderFor(draft, ticket.psk);
  return { ...hello, extensions: [...hello.extensions, { type: 'pre_shared_key', offer: { identities: [identity], binders: [binder] } }] };
}
