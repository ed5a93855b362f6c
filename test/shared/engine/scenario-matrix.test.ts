/**
 * Every level × attacker behaviour × client behaviour × CA behaviour, played by bots from a
 * fixed seed, against the outcome the rules say the referee must give. The expected table is
 * written out by hand, cell by cell family, from GAME.md — not generated from the engine.
 */
import { describe, expect, it } from 'vitest';
import {
  ATTACKER_BEHAVIOURS,
  CA_BEHAVIOURS,
  CLIENT_BEHAVIOURS,
  LEVELS,
  simulateRound,
  type AttackerBehaviour,
  type CaBehaviour,
  type ClientBehaviour,
  type Level,
  type Outcome,
} from '@heist/shared';

type Expect = (client: ClientBehaviour, ca: CaBehaviour) => Outcome;
const always = (o: Outcome): Expect => () => o;
const byClient = (careful: Outcome, careless: Outcome): Expect => (c) => (c === 'careful' ? careful : careless);
const byCa = (strict: Outcome, sloppy: Outcome): Expect => (_c, ca) => (ca === 'strict' ? strict : sloppy);

const EXPECTED: Record<Level, Record<AttackerBehaviour, Expect>> = {
  // Postcard: everything readable and editable. Unattacked, it came through — but not secure.
  1: {
    none: always('unprotected'),
    passive: always('eavesdropped'),
    keySubstitution: always('eavesdropped'), // no key to swap: she just reads
    fakeCertificate: always('eavesdropped'),
    fraudulentCsr: always('eavesdropped'),
    tamper: always('tampered'),
    replay: always('tampered'), // the bank pays twice
    strip: always('eavesdropped'), // nothing to strip
  },
  // One key, sent in the clear.
  2: {
    none: always('unprotected'),
    passive: always('eavesdropped'),
    keySubstitution: always('eavesdropped'),
    fakeCertificate: always('eavesdropped'),
    fraudulentCsr: always('eavesdropped'),
    tamper: always('tampered'), // she holds the key: re-sealed edits pass the tag
    replay: always('attackDetected'), // the game's own visible sequence check
    strip: always('eavesdropped'), // no http:// to strip: she listens, and the key is on the wire
  },
  // Two keys, no CA: a swapped key goes unnoticed; unattacked, nothing was checked.
  3: {
    none: always('unprotected'),
    passive: always('unprotected'), // she cannot read the sealed key, but nothing proved whose key it was
    keySubstitution: always('impersonated'),
    fakeCertificate: always('impersonated'), // no certificates: her own key
    fraudulentCsr: always('unprotected'), // no CA to fool; she only listens, to ciphertext
    tamper: always('attackDetected'),
    replay: always('attackDetected'),
    strip: always('unprotected'), // no http:// to strip: she only listens
  },
  // Certified, TLS 1.2 style. The careful client has HSTS; the careless one is on a first visit.
  4: {
    none: always('secure'),
    passive: always('secure'),
    keySubstitution: byClient('attackDetected', 'impersonated'),
    fakeCertificate: byClient('attackDetected', 'impersonated'),
    fraudulentCsr: byCa('secure', 'impersonated'), // a mis-issued certificate fools even a careful client
    tamper: always('attackDetected'),
    replay: always('attackDetected'), // implicit sequence number: the replay fails its tag
    strip: byClient('secure', 'eavesdropped'), // HSTS: no plain request to strip
  },
  // Forward secrecy, TLS 1.3 style.
  5: {
    none: always('secure'),
    passive: always('secure'),
    keySubstitution: always('attackDetected'), // CertificateVerify: no click-through for that
    fakeCertificate: byClient('attackDetected', 'impersonated'),
    fraudulentCsr: byCa('secure', 'impersonated'),
    tamper: always('attackDetected'),
    replay: always('attackDetected'),
    strip: byClient('secure', 'eavesdropped'),
  },
};

describe('scenario matrix: level × attacker × client × CA', () => {
  for (const level of LEVELS) {
    for (const attacker of ATTACKER_BEHAVIOURS) {
      for (const client of CLIENT_BEHAVIOURS) {
        for (const ca of CA_BEHAVIOURS) {
          const expected = EXPECTED[level][attacker](client, ca);
          it(`level ${level}, ${attacker} attacker, ${client} client, ${ca} CA → ${expected}`, () => {
            const { round, refused } = simulateRound(level, { client, server: 'standard', ca, attacker }, `matrix/${level}/${attacker}/${client}/${ca}`);
            expect(refused).toEqual([]);
            expect(round.phase).toBe('over');
            expect(round.result?.outcome).toBe(expected);
          });
        }
      }
    }
  }

  it('ciphertext tampering at levels 4 and 5 is always caught by the AEAD tag, never accepted', () => {
    for (const level of [4, 5] as const) {
      const { round } = simulateRound(level, { client: 'careless', server: 'standard', ca: 'sloppy', attacker: 'tamper' }, `tamper/${level}`);
      expect(round.result?.outcome).toBe('attackDetected');
      expect(round.server.failure?.reason).toBe('badRecordMac');
      expect(round.server.received).toEqual([]);
    }
  });

  it('the same seed replays the same round exactly', () => {
    const a = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, 'replayable').round;
    const b = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, 'replayable').round;
    expect(b.packets.map((p) => p.bytes)).toEqual(a.packets.map((p) => p.bytes));
    const c = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, 'another seed').round;
    expect(c.packets[0]!.bytes).not.toEqual(a.packets[0]!.bytes);
  });
});
