/**
 * docs/rules.md's "How a changed handshake is caught": for each field Mallory can change on the
 * way, at levels 4, 4e, 5 and 6, who stops first, at which message, with which alert. Every cell of
 * that table is played here — the attacker edits the field as a student would, in the
 * inspector — and the doc's cell must read exactly what the round did.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { LEVEL_TEXTS, type AnyAction, type AttackerView, type Failure, type Level } from '@heist/shared';
import { alertsFrom, attack, editOnce, fieldPath, heldOf, startRound } from './play.ts';

const doc = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');

const LEVELS_PLAYED = [4, 6, 5, 7] as const;
type Played = (typeof LEVELS_PLAYED)[number];
const OWN_SUITE: Record<Played, string> = { 4: '0x009C', 6: '0xC02B', 5: '0x1301', 7: '0xC02B' };
/** A suite no level offers (TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256). */
const OTHER_SUITE = '0xC02F';
const P256_G = '046b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c2964fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5';
const X25519_BASE = '09' + '00'.repeat(31);

type Edit = (id: number, v: AttackerView) => AnyAction;
const setField = (name: string, value: string): Edit => (id, v) => ({ type: 'editField', packetId: id, path: fieldPath(v, id, name), value });
const flipLastByte: Edit = (id, v) => {
  const hex = v.captured.find((p) => p.id === id)!.hex;
  return { type: 'editBytes', packetId: id, hex: hex.slice(0, -2) + (hex.slice(-2) === '00' ? '01' : '00') };
};

type Change = { message: string; from: 'client' | 'server'; edit: Edit };
/** Where each level carries the bank's key share: none at 4 (RSA key transport), the signed ServerKeyExchange at 4e and 6, ServerHello's key_share at 5. */
const BANK_SHARE: Record<Played, Change | undefined> = {
  4: undefined,
  6: { message: 'ServerKeyExchange', from: 'server', edit: setField('publicKey', P256_G) },
  5: { message: 'ServerHello', from: 'server', edit: setField('key', X25519_BASE) },
  7: { message: 'ServerKeyExchange', from: 'server', edit: setField('publicKey', P256_G) },
};
/** Alice's share: the encrypted pre-master at 4, her public share in ClientKeyExchange at 4e and 6, ClientHello's key_share at 5. */
const ALICE_SHARE: Record<Played, Change> = {
  4: { message: 'ClientKeyExchange', from: 'client', edit: flipLastByte },
  6: { message: 'ClientKeyExchange', from: 'client', edit: setField('ecdhPublic', P256_G) },
  5: { message: 'ClientHello', from: 'client', edit: setField('key', X25519_BASE) },
  7: { message: 'ClientKeyExchange', from: 'client', edit: setField('ecdhPublic', P256_G) },
};

/** Each row of the doc's table: what is changed, and how at each level (none where the level has no such field). */
const ROWS: { row: string; edit: (level: Played) => { message: string; from: 'client' | 'server'; edit: Edit } | undefined }[] = [
  { row: "Alice's random (ClientHello)", edit: () => ({ message: 'ClientHello', from: 'client', edit: setField('random', '11'.repeat(32)) }) },
  { row: "the bank's random (ServerHello)", edit: () => ({ message: 'ServerHello', from: 'server', edit: setField('random', '22'.repeat(32)) }) },
  { row: 'the offered suites, without the level’s suite', edit: () => ({ message: 'ClientHello', from: 'client', edit: setField('cipherSuites', OTHER_SUITE) }) },
  { row: 'the offered suites, with another one added', edit: (level) => ({ message: 'ClientHello', from: 'client', edit: setField('cipherSuites', `${OWN_SUITE[level]}, ${OTHER_SUITE}`) }) },
  { row: 'the server name (SNI)', edit: () => ({ message: 'ClientHello', from: 'client', edit: setField('hostName', 'evil.example') }) },
  { row: "the bank's key share", edit: (level) => BANK_SHARE[level] },
  { row: "Alice's key share (level 4: the encrypted pre-master secret)", edit: (level) => ALICE_SHARE[level] },
];

const NAME = { client: 'Alice', server: 'the bank' } as const;
const OTHER = { client: "the bank's", server: "Alice's" } as const;

/** The cell as the doc writes it: who stopped first, at what, with which alert. */
function cellFor(who: 'client' | 'server', f: Failure, alert: string): string {
  const what = (() => {
    switch (f.reason) {
      case 'handshakeKeysDiffer':
        return `${OTHER[who]} ${f.message} fails its tag`;
      case 'badFinished':
        return `${OTHER[who]} Finished MAC differs`;
      case 'badServerKeyExchange':
        return 'the ServerKeyExchange signature fails';
      case 'noCommonCipherSuite':
        return 'no common cipher suite';
      case 'unrecognizedName':
        return 'a name it is not';
      default:
        return f.reason;
    }
  })();
  return `${NAME[who]}: ${what} (${alert})`;
}

function docCells(row: string): string[] {
  const line = doc.split('\n').find((l) => l.startsWith(`| ${row} |`));
  expect(line, `docs/rules.md has a row for "${row}"`).toBeDefined();
  return line!.split('|').slice(2, -1).map((c) => c.trim());
}

function play(level: Level, row: (typeof ROWS)[number]): string {
  const e = row.edit(level as Played);
  if (!e) return '—';
  const round = startRound(level, `changed/${level}/${row.row}`);
  attack(round, editOnce(heldOf(e.message, e.from), e.edit));
  const stopped = (['client', 'server'] as const).filter((side) => round[side].failure && round[side].failure!.reason !== 'peerAlert');
  expect(stopped, `${row.row} at level ${LEVEL_TEXTS[level].label}: exactly one side stops first`).toHaveLength(1);
  const who = stopped[0]!;
  expect(round.result?.outcome).toBe('attackDetected');
  return cellFor(who, round[who].failure!, alertsFrom(round, who)[0]!);
}

describe('docs/rules.md: how a changed handshake is caught, cell by cell as the rounds play it', () => {
  it('the table has a column per level, in the order they are taught', () => {
    expect(docCells('Changed on the way')).toEqual(LEVELS_PLAYED.map((l) => `L${LEVEL_TEXTS[l].label}`));
  });

  for (const row of ROWS) {
    it(row.row, () => {
      expect(docCells(row.row)).toEqual(LEVELS_PLAYED.map((level) => play(level, row)));
    });
  }
});
