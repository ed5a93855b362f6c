/**
 * Every level × attacker behaviour × client behaviour × CA behaviour, played by bots from a
 * fixed seed, against the outcome the rules say the referee must give (expected-outcomes.ts,
 * written by hand from GAME.md). Then the outcomes and diagnoses that no bot behaviour plays by
 * itself, played by hand (more in teaching-verdicts.test.ts).
 */
import { describe, expect, it } from 'vitest';
import {
  ATTACKER_BEHAVIOURS,
  CA_BEHAVIOURS,
  CLIENT_BEHAVIOURS,
  LEVEL_EVENTS,
  LEVELS,
  levelModule,
  simulateRound,
  type AnyAction,
  type AttackerBehaviour,
  type AttackerView,
  type ClientBehaviour,
  type FailureReason,
  type Level,
  type Outcome,
  type Round,
  type ServerView,
} from '@heist/shared';
import { EVENT_EXPECTED, EVENT_EXPECTED_BY_BANK, EXPECTED, expectedLevelsOf, otherDefender } from './expected-outcomes.ts';
import { attack, certificateAlone, editOnce, fieldPath, heldOf, play, startRound } from './play.ts';

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
    const firstFromClient = (r: Round) => r.packets.find((p) => p.from === 'client')!.bytes;
    expect(firstFromClient(c)).not.toEqual(firstFromClient(a));
  });
});

describe('scenario matrix with an event: event × level offering it × attacker × client (strict CA)', () => {
  it('has cells for exactly the levels that offer each event', () => {
    for (const event of LEVEL_EVENTS) expect(expectedLevelsOf(event), event).toEqual(LEVELS.filter((level) => levelModule(level).events?.includes(event)));
  });

  for (const event of LEVEL_EVENTS) {
    for (const level of expectedLevelsOf(event)) {
      for (const attacker of ATTACKER_BEHAVIOURS) {
        for (const client of CLIENT_BEHAVIOURS) {
          const expected = EVENT_EXPECTED[event][level]![attacker](client);
          it(`${event}, level ${level}, ${attacker} attacker, ${client} client → ${expected}`, () => {
            const { round, refused } = simulateRound(level, { client, server: 'standard', ca: 'strict', attacker }, `matrix/${event}/${level}/${attacker}/${client}`, { event });
            expect(refused).toEqual([]);
            expect(round.phase).toBe('over');
            expect(round.result?.outcome).toBe(expected);
          });
        }
      }
    }
    // An event whose defence is the bank's (or that needs a sloppy CA): its cells with the other bank (or CA) too.
    const byBank = EVENT_EXPECTED_BY_BANK[event];
    for (const [level, row] of Object.entries(byBank?.rows ?? {})) {
      for (const attacker of ATTACKER_BEHAVIOURS) {
        for (const client of CLIENT_BEHAVIOURS) {
          const expected = row[attacker](client);
          it(`${event}, level ${level}, ${attacker} attacker, ${client} client, ${otherDefender(byBank!)} → ${expected}`, () => {
            const { round, refused } = simulateRound(Number(level) as Level, { client, server: byBank!.bank, ca: byBank!.ca ?? 'strict', attacker }, `matrix/${event}/${level}/${attacker}/${client}/${otherDefender(byBank!)}`, { event });
            expect(refused).toEqual([]);
            expect(round.phase).toBe('over');
            expect(round.result?.outcome).toBe(expected);
          });
        }
      }
    }
  }
});

/**
 * The outcomes and diagnoses no bot behaviour plays by itself: each row is one attack played
 * by hand against the defending bots, with the outcome and the failure (the check that fired)
 * the referee must name.
 */
interface HandRow {
  name: string;
  level: Level;
  client: ClientBehaviour;
  attack: (round: Round) => (v: AttackerView) => AnyAction | null;
  outcome: Outcome;
  failure?: { by: 'client' | 'server'; reason: FailureReason };
}

const keyThenRead = () => (v: AttackerView): AnyAction | null => {
  const key = v.captured.find((p) => p.label === 'KeyTransport')?.fields.find((f) => f.path === 'key')?.value;
  const sealed = v.captured.find((p) => p.label === 'EncryptedRecord' && !p.plaintext);
  return key && sealed && v.phase === 'playing' ? { type: 'tryKey', packetId: sealed.id, keyHex: key } : null;
};
const editHello = (value: string) => () => editOnce(heldOf('ClientHello'), (id) => ({ type: 'editField', packetId: id, path: 'random', value }));
const replaySecondRecord = () => {
  let done = false;
  return (v: AttackerView): AnyAction | null => {
    const records = v.captured.filter((p) => p.from === 'client' && p.label === 'EncryptedRecord' && p.status === 'delivered');
    if (done || records.length < 2) return null;
    done = true;
    return { type: 'replay', packetId: records[1]!.id };
  };
};
const changeCertificate = () => editOnce(heldOf('Certificate'), (id) => ({ type: 'editField', packetId: id, path: 'certificate.serial', value: '7' }));
/** Level 6: the intermediate's certificate, sent after the bank's, changed on the way (its serial). */
const changeIntermediate = () => editOnce(heldOf('Certificate'), (id) => ({ type: 'editField', packetId: id, path: 'chain.0.serial', value: '7' }));

/** RFC 8422 §5.4: her own one-time share in place of the bank's, in the signed ServerKeyExchange (a P-256 point: 04 ‖ x ‖ y). */
const swapServerShare = () =>
  editOnce(heldOf('ServerKeyExchange'), (id, v) => {
    const mine = '04' + '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296' + '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5'; // the P-256 base point
    return { type: 'editField', packetId: id, path: fieldPath(v, id, 'publicKey'), value: mine };
  });
/** Her own one-time share in place of Alice's, in ClientKeyExchange, which nothing signs. */
const swapClientShare = () =>
  editOnce(heldOf('ClientKeyExchange'), (id, v) => ({
    type: 'editField',
    packetId: id,
    path: fieldPath(v, id, 'ecdhPublic'),
    value: '04' + '6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296' + '4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5',
  }));

const HAND_ROWS: HandRow[] = [
  { name: 'copies the key, opens the records, never submits the PIN', level: 2, client: 'careful', attack: keyThenRead, outcome: 'exposed' },
  { name: 'edits the ClientHello random', level: 4, client: 'careful', attack: editHello('11'.repeat(32)), outcome: 'attackDetected', failure: { by: 'server', reason: 'handshakeKeysDiffer' } },
  { name: 'edits the ClientHello random', level: 5, client: 'careful', attack: editHello('11'.repeat(32)), outcome: 'attackDetected', failure: { by: 'client', reason: 'handshakeKeysDiffer' } },
  { name: 'replays the transfer record', level: 4, client: 'careful', attack: replaySecondRecord, outcome: 'attackDetected', failure: { by: 'server', reason: 'badRecordMac' } },
  { name: 'replays the transfer record', level: 5, client: 'careful', attack: replaySecondRecord, outcome: 'attackDetected', failure: { by: 'server', reason: 'badRecordMac' } },
  // The edited certificate is in the client's transcript, not the bank's: Finished catches even a careless client's click-through.
  // 4e (id 6): the bank's signed share swapped is caught by its signature, whatever the client's habits.
  { name: 'swaps the key share in ServerKeyExchange', level: 6, client: 'careless', attack: swapServerShare, outcome: 'attackDetected', failure: { by: 'client', reason: 'badServerKeyExchange' } },
  { name: "swaps Alice's key share in ClientKeyExchange", level: 6, client: 'careful', attack: swapClientShare, outcome: 'attackDetected', failure: { by: 'server', reason: 'handshakeKeysDiffer' } },
  { name: 'edits the ClientHello random', level: 6, client: 'careful', attack: editHello('11'.repeat(32)), outcome: 'attackDetected', failure: { by: 'client', reason: 'badServerKeyExchange' } },
  { name: 'replays the transfer record', level: 6, client: 'careful', attack: replaySecondRecord, outcome: 'attackDetected', failure: { by: 'server', reason: 'badRecordMac' } },
  { name: 'changes the genuine certificate; the client clicks through', level: 4, client: 'careless', attack: changeCertificate, outcome: 'attackDetected', failure: { by: 'server', reason: 'badFinished' } },
  // 6 (id 7): the chain is signed link by link — a changed intermediate breaks the root's signature on it.
  { name: "changes the intermediate's certificate in the chain", level: 7, client: 'careful', attack: changeIntermediate, outcome: 'attackDetected', failure: { by: 'client', reason: 'certificateRejected' } },
  { name: "changes the intermediate's certificate in the chain; the client clicks through", level: 7, client: 'careless', attack: changeIntermediate, outcome: 'attackDetected', failure: { by: 'server', reason: 'handshakeKeysDiffer' } },
];

describe('scenario matrix: outcomes and diagnoses played by hand', () => {
  for (const row of HAND_ROWS) {
    it(`level ${row.level}, the attacker ${row.name}, ${row.client} client → ${row.outcome}${row.failure ? ` (${row.failure.by}: ${row.failure.reason})` : ''}`, () => {
      const bots = { client: row.client, server: 'standard', ca: 'strict', attacker: 'none' } as const;
      const round = startRound(row.level, `hand/${row.level}/${row.name}`, { bots }); // her browser is the client's: HSTS only for the careful one
      attack(round, row.attack(round), bots);
      expect(round.result?.outcome).toBe(row.outcome);
      if (row.failure) expect(round[row.failure.by].failure?.reason).toBe(row.failure.reason);
    });
  }
});

/**
 * Level 6 (id 7): the bank's own mistake × what the attacker does × the client. A bank that
 * sends its certificate alone (cert.pem, not fullchain.pem) gives no path to the root: the
 * careful client stops (the bank's fault, Wrong certificate) and a careless one clicks through
 * (unharmed, not secure) — unless Mallory is at work, whose own personas bring their own chains.
 */
const CERTIFICATE_ALONE: { attacker: AttackerBehaviour; client: ClientBehaviour; outcome: Outcome }[] = [
  { attacker: 'none', client: 'careful', outcome: 'misconfigured' },
  { attacker: 'none', client: 'careless', outcome: 'unprotected' },
  { attacker: 'passive', client: 'careful', outcome: 'misconfigured' },
  { attacker: 'passive', client: 'careless', outcome: 'unprotected' },
  { attacker: 'ownCertificateAsCa', client: 'careful', outcome: 'attackDetected' },
  { attacker: 'ownCertificateAsCa', client: 'careless', outcome: 'impersonated' },
];

describe('scenario matrix: level 6, the bank sends its certificate without the intermediate’s', () => {
  for (const row of CERTIFICATE_ALONE) {
    it(`${row.attacker} attacker, ${row.client} client → ${row.outcome}`, () => {
      const bots = { client: row.client, server: 'standard', ca: 'strict', attacker: row.attacker } as const;
      const round = startRound(7, `alone/${row.attacker}/${row.client}`, { bots });
      play<ServerView>(round, 'server', certificateAlone, bots);
      expect(round.result?.outcome).toBe(row.outcome);
    });
  }
});
