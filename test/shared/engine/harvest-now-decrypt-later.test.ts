/**
 * Harvest now, decrypt later (issue 16, item 10), a level-5 event, played as the players would:
 * Mallory records; years later the game hands her the X25519 secret a quantum computer would
 * compute (a stated fiction). A careless Alice's old browser (X25519 alone): the recording opens,
 * Eavesdropped. A careful Alice's up-to-date browser (X25519MLKEM768, draft-ietf-tls-ecdhe-mlkem):
 * it stays sealed. The bytes: 0x11EC, a 1216-byte share from the client, 1120 from the server, the
 * key schedule over ML-KEM's secret ‖ X25519's.
 */
import { describe, expect, it } from 'vitest';
import { ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import {
  concat,
  decodeMessage,
  EVENT_TEXTS,
  HARVEST_WORDS,
  LEVELS,
  levelModule,
  OUTCOME_POINTS,
  recordingOf,
  simulateRound,
  toHex,
  viewFor,
  x25519SharedSecret,
  type AttackerView,
  type ClientView,
  type FieldNode,
  type MessageOf,
  type Round,
} from '@heist/shared';
import { play, startRound } from './play.ts';

const EVENT = { event: 'harvestNowDecryptLater' } as const;
const HYBRID = 0x11ec;
const X25519 = 0x001d;

function played(client: 'careful' | 'careless', seed: string): Round {
  const { round, refused } = simulateRound(5, { client, server: 'standard', ca: 'strict', attacker: 'passive' }, seed, EVENT);
  expect(refused).toEqual([]);
  return round;
}

/** The first handshake message of `type` on the wire, decoded from the bytes that crossed it. */
function onWire<T extends 'ClientHello' | 'ServerHello'>(round: Round, type: T): MessageOf<T> {
  for (const p of round.packets) {
    try {
      const m = decodeMessage(p.bytes);
      if (m.type === type) return m as MessageOf<T>;
    } catch {
      // an encrypted record or plain HTTP: not a hello
    }
  }
  throw new Error(`no ${type} on the wire`);
}

const ext = <K extends string>(m: { extensions: { type: string }[] }, type: K) => m.extensions.find((e) => e.type === type) as never;

function find(nodes: FieldNode[] | undefined, name: string): FieldNode | undefined {
  for (const n of nodes ?? []) {
    const hit = n.name === name ? n : find(n.children, name);
    if (hit) return hit;
  }
  return undefined;
}

describe('harvest now, decrypt later: the bytes on the wire', () => {
  const round = played('careful', 'harvest/bytes');
  const hello = onWire(round, 'ClientHello');
  const serverHello = onWire(round, 'ServerHello');

  it('an up-to-date browser offers X25519MLKEM768 (0x11EC) first, then X25519, with one share: ML-KEM-768 encapsulation key ‖ X25519 key, 1216 bytes', () => {
    expect((ext(hello, 'supported_groups') as { groups: number[] }).groups).toEqual([HYBRID, X25519]);
    const shares = (ext(hello, 'key_share') as { shares: { group: number; key: Uint8Array }[] }).shares;
    expect(shares.map((s) => [s.group, s.key.length])).toEqual([[HYBRID, 1216]]);
  });

  it('the bank answers in 0x11EC with ML-KEM-768 ciphertext ‖ X25519 key, 1120 bytes', () => {
    const shares = (ext(serverHello, 'key_share') as { shares: { group: number; key: Uint8Array }[] }).shares;
    expect(shares.map((s) => [s.group, s.key.length])).toEqual([[HYBRID, 1120]]);
  });

  it('the key schedule takes ML-KEM’s shared secret ‖ X25519’s (64 bytes, ML-KEM first): that opens the recording, the other order and either half alone do not', () => {
    const alice = round.client.learned['ephemeral X25519MLKEM768 secret (forgotten after the handshake)']!;
    expect(alice.length).toBe(2400 + 32);
    const clientShare = (ext(hello, 'key_share') as { shares: { key: Uint8Array }[] }).shares[0]!.key;
    const serverShare = (ext(serverHello, 'key_share') as { shares: { key: Uint8Array }[] }).shares[0]!.key;
    // Alice's share really is her ML-KEM key ‖ her X25519 key: the bank's ciphertext decapsulates under her key.
    const mlkem = ml_kem768.decapsulate(serverShare.slice(0, 1088), alice.slice(0, 2400));
    const x25519 = x25519SharedSecret(alice.slice(2400), serverShare.slice(1088));
    expect(clientShare.length).toBe(1184 + 32);
    const trySecret = (s: Uint8Array) => levelModule(5).trySharedSecret!(recordingOf(round), s).opened.size;
    expect(trySecret(concat(mlkem, x25519))).toBeGreaterThan(0);
    expect(trySecret(concat(x25519, mlkem))).toBe(0);
    expect(trySecret(x25519)).toBe(0);
    expect(trySecret(mlkem)).toBe(0);
  });

  it('the inspector names the two parts of each share', () => {
    const alice = viewFor(round, 'client') as ClientView;
    const parts = (label: string, from: 'client' | 'server') => {
      const p = alice.packets.find((x) => x.label === label && x.from === from)!;
      return [find(p.fields, 'mlkem'), find(p.fields, 'x25519')].map((n) => [n?.length, n?.explain.split(' (')[0]]);
    };
    expect(parts('ClientHello', 'client')).toEqual([
      [1184, 'ML-KEM-768 encapsulation key'],
      [32, 'X25519 public key'],
    ]);
    expect(parts('ServerHello', 'server')).toEqual([
      [1088, 'ML-KEM-768 ciphertext'],
      [32, 'X25519 public key'],
    ]);
  });

  it('an old browser (a careless Alice’s) offers the level’s X25519 and P-256 only, and the bank, which prefers the hybrid, takes X25519', () => {
    const old = played('careless', 'harvest/old-bytes');
    expect((ext(onWire(old, 'ClientHello'), 'supported_groups') as { groups: number[] }).groups).toEqual([X25519, 0x0017]);
    expect((ext(onWire(old, 'ServerHello'), 'key_share') as { shares: { group: number; key: Uint8Array }[] }).shares.map((s) => [s.group, s.key.length])).toEqual([[X25519, 32]]);
  });
});

describe('harvest now, decrypt later: years later', () => {
  it('X25519 alone: the recording opens to Alice’s request, PIN included — Eavesdropped, in words that say the quantum computer is the game’s story', () => {
    const round = played('careless', 'harvest/opens');
    const harvest = round.result!.debrief.harvest!;
    expect(harvest).toMatchObject({ group: 'X25519', hybrid: false, opened: true, headline: HARVEST_WORDS.opened.headline });
    expect(harvest.request).toContain(`pin=${round.client.secret}`);
    expect(harvest.request).toMatch(/^POST \/transfer HTTP\/1\.1\r\n/);
    // The secret handed over is the X25519 one of this session: Alice's one-time secret with the bank's share.
    const serverShare = (ext(onWire(round, 'ServerHello'), 'key_share') as { shares: { key: Uint8Array }[] }).shares[0]!.key;
    expect(harvest.x25519Secret).toBe(toHex(x25519SharedSecret(round.client.learned['ephemeral X25519 secret (forgotten after the handshake)']!, serverShare)));
    expect(round.result!.outcome).toBe('eavesdropped');
    expect(round.result!.summary).toBe(
      `Eavesdropped: every check passed today, but Alice’s old browser made the keys with X25519 alone, and Mallory kept her recording. Years later a quantum computer breaks X25519 — the game’s stated fiction: it hands her the X25519 secret such a machine would compute — and the recording opens: she reads the PIN ${round.client.secret} and the order. Secure today, not for as long as the secret had to last.`,
    );
    // The CA's point for rightly signing the bank's certificate, as in every round.
    expect(round.result!.points).toEqual({ ...OUTCOME_POINTS.eavesdropped, ca: OUTCOME_POINTS.eavesdropped.ca + 1 });
    expect(round.result!.debrief.notes).toContain(EVENT_TEXTS.harvestNowDecryptLater.debriefNote);
    expect(harvest.rows.map((r) => [r.keyShare, r.opens, r.thisRound])).toEqual([
      ['X25519 alone (0x001D)', true, true],
      ['X25519MLKEM768 (0x11EC): ML-KEM-768 + X25519', false, false],
    ]);
  });

  it('X25519MLKEM768: the same gift opens nothing — the ML-KEM half holds, and the round stays Secure', () => {
    const round = played('careful', 'harvest/sealed');
    const harvest = round.result!.debrief.harvest!;
    expect(harvest).toMatchObject({ group: 'X25519MLKEM768', hybrid: true, opened: false, headline: 'Her recording stays sealed: ML-KEM holds.' });
    expect(harvest.request).toBeUndefined();
    expect(harvest.rows.map((r) => r.thisRound)).toEqual([false, true]);
    expect(round.result!.outcome).toBe('secure');
  });

  it('the "server key leaked" comparison gains the quantum rows, this round’s marked', () => {
    const rows = (round: Round) => round.result!.debrief.serverKeyLeak!.compare.filter((r) => r.quantum).map((r) => [r.quantum, r.opens, r.thisRound]);
    expect(rows(played('careless', 'harvest/leak-old'))).toEqual([
      ['Level 5, years later: a quantum computer', true, true],
      ['Level 5, X25519MLKEM768, years later', false, false],
    ]);
    expect(rows(played('careful', 'harvest/leak-new'))).toEqual([
      ['Level 5, years later: a quantum computer', true, false],
      ['Level 5, X25519MLKEM768, years later', false, true],
    ]);
    // Without the event, at level 4, the rows are there to compare, none of them this round's.
    const { round } = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, 'harvest/level4');
    expect(rows(round)).toEqual([
      ['Level 5, years later: a quantum computer', true, false],
      ['Level 5, X25519MLKEM768, years later', false, false],
    ]);
    expect(round.result!.debrief.harvest).toBeUndefined();
  });

  it('Mallory by hand, listening to an old browser: no view of hers holds the PIN or the secret before the result; the result hands her both', () => {
    const bots = { client: 'careless', server: 'standard', ca: 'strict', attacker: 'passive' } as const;
    const round = startRound(5, 'harvest/by-hand', { ...EVENT, bots, humanSeats: ['attacker'] });
    const seen: string[] = [];
    play(round, 'attacker', (v: AttackerView) => {
      if (v.phase !== 'over') seen.push(JSON.stringify(v));
      return v.allowed.includes('ready') ? { type: 'ready' } : null;
    }, bots);
    expect(round.result!.outcome).toBe('eavesdropped');
    const harvest = round.result!.debrief.harvest!;
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.filter((v) => v.includes(harvest.x25519Secret) || v.includes(`pin=${round.client.secret}`))).toEqual([]);
    expect(JSON.stringify((viewFor(round, 'attacker') as AttackerView & { result?: unknown }).result)).toContain(`pin=${round.client.secret}`);
  });

  it('is offered at level 5 alone', () => {
    expect(LEVELS.filter((level) => levelModule(level).events?.includes('harvestNowDecryptLater'))).toEqual([5]);
  });
});
