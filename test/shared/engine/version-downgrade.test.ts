/**
 * A downgrade to TLS 1.2 (issue 16, item 5), a level-5 event, played as the players would: the
 * bank and Alice's browser speak TLS 1.3 and 1.2; Mallory crosses 1.3 off Alice's offer. The bank
 * answers in 1.2 with the sentinel 44 4F 57 4E 47 52 44 01 at the end of its random (RFC 8446
 * §4.1.3). An up-to-date browser (a careful Alice's) aborts on it with illegal_parameter; an old
 * one (a careless Alice's) carries on, and 1.2's extended master secret and Finished, over a
 * transcript that holds the edited hello on the bank's side, catch it one step later.
 */
import { describe, expect, it } from 'vitest';
import {
  CHECK_TITLES,
  decodeMessage,
  DOWNGRADE_EDIT,
  EVENT_TEXTS,
  LEVELS,
  levelModule,
  simulateRound,
  toHex,
  viewFor,
  type AttackerView,
  type ClientView,
  type FieldNode,
  type MessageOf,
  type Round,
} from '@heist/shared';
import { alertsFrom, attack, clientLines, fieldPath, heldOf, startRound } from './play.ts';

const EVENT = { event: 'versionDowngrade' } as const;
const SENTINEL = '444f574e47524401';

/** Every handshake message of `type` that crossed the wire, decoded from its bytes, in order. */
function onWire<T extends 'ClientHello' | 'ServerHello'>(round: Round, type: T, from: 'client' | 'server'): MessageOf<T>[] {
  return round.packets.flatMap((p) => {
    if (p.from !== from) return [];
    try {
      const m = decodeMessage(p.bytes);
      return m.type === type ? [m as MessageOf<T>] : [];
    } catch {
      return []; // an encrypted record: no hello
    }
  });
}
/** The first field called `name`, depth first, as the inspector shows it. */
function named(nodes: FieldNode[] | undefined, name: string): FieldNode | undefined {
  for (const n of nodes ?? []) {
    const hit = n.name === name ? n : named(n.children, name);
    if (hit) return hit;
  }
  return undefined;
}
const versionsOf = (m: { extensions: { type: string }[] }) => (m.extensions.find((e) => e.type === 'supported_versions') as { versions: number[] } | undefined)?.versions;

function played(client: 'careful' | 'careless', attacker: 'none' | 'tamper', seed: string): Round {
  const { round, refused } = simulateRound(5, { client, server: 'standard', ca: 'strict', attacker }, seed, EVENT);
  expect(refused).toEqual([]);
  return round;
}

describe('a downgrade to TLS 1.2: nobody attacking', () => {
  it('Alice’s browser offers TLS 1.3 and 1.2 (and both suites); the bank answers in TLS 1.3: Secure', () => {
    const round = played('careful', 'none', 'downgrade/honest');
    const [hello] = onWire(round, 'ClientHello', 'client');
    expect(versionsOf(hello!)).toEqual([0x0304, 0x0303]);
    expect(hello!.cipherSuites).toEqual([0x1301, 0xc02b]);
    const [serverHello] = onWire(round, 'ServerHello', 'server');
    expect(versionsOf(serverHello!)).toEqual([0x0304]);
    expect(toHex(serverHello!.random.slice(24))).not.toBe(SENTINEL);
    expect(round.result?.outcome).toBe('secure');
    expect(round.result?.debrief.notes).toContain(EVENT_TEXTS.versionDowngrade.debriefNote);
  });
});

describe('a downgrade to TLS 1.2: Mallory crosses TLS 1.3 off Alice’s offer', () => {
  it('the bank answers in TLS 1.2 (level 4e’s ECDHE suite, no supported_versions) and ends its random with 44 4F 57 4E 47 52 44 01', () => {
    const round = played('careful', 'tamper', 'downgrade/careful');
    // What Alice sent (the original Mallory kept), and what crossed to the bank.
    const [edit] = round.attacker.edits;
    expect(versionsOf(decodeMessage(edit!.original) as MessageOf<'ClientHello'>)).toEqual([0x0304, 0x0303]);
    expect(onWire(round, 'ClientHello', 'client').map(versionsOf)).toEqual([[0x0303]]);
    const [serverHello] = onWire(round, 'ServerHello', 'server');
    expect(versionsOf(serverHello!)).toBeUndefined();
    expect(serverHello!.cipherSuite).toBe(0xc02b);
    expect(toHex(serverHello!.random.slice(24))).toBe(SENTINEL);
    // The inspector says what those 8 bytes are, in Alice's seat as in every other.
    const inspected = (viewFor(round, 'client') as ClientView).packets.find((p) => p.label === 'ServerHello')!;
    expect(named(inspected.fields, 'random')?.explain).toBe(
      '32 public random bytes; they make each session’s keys unique, but they are not secret. Its last 8 bytes are 44 4F 57 4E 47 52 44 01 (“DOWNGRD” and 01): a server that speaks TLS 1.3 writes them when it answers in TLS 1.2 — the downgrade sentinel (RFC 8446 §4.1.3)',
    );
  });

  it('an up-to-date browser (careful Alice) sees the sentinel and aborts with illegal_parameter, before any key exists: Attack detected, the sentinel named', () => {
    const round = played('careful', 'tamper', 'downgrade/careful');
    expect(round.client.failure).toEqual({ reason: 'downgradeSentinel' });
    expect((viewFor(round, 'client') as ClientView).browser).toEqual({ hsts: true, tls12: { checksSentinel: true } });
    expect(alertsFrom(round, 'client')).toEqual(['illegal_parameter']);
    expect(round.client.learned['master secret']).toBeUndefined();
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.result?.debrief.checks).toContainEqual(expect.objectContaining({ by: 'client', check: 'downgradeSentinel', flagged: true, actedOn: true }));
    expect(clientLines(round).join('\n')).toContain('its random ends in the downgrade sentinel 44 4F 57 4E 47 52 44 01 ("DOWNGRD")');
    expect(CHECK_TITLES.downgradeSentinel).toBe('No downgrade signal in the bank’s random (TLS 1.3’s sentinel)');
  });

  it('an old browser (careless Alice) does not look and carries on in TLS 1.2; the bank’s transcript holds the edited hello, so Alice’s Finished fails its tag there: Attack detected, by the bank', () => {
    const round = played('careless', 'tamper', 'downgrade/careless');
    expect(round.server.failure).toEqual({ reason: 'handshakeKeysDiffer', message: 'Finished' });
    expect(alertsFrom(round, 'server')).toEqual(['bad_record_mac']);
    // Alice's own check of the bank's signed share passed: the randoms were not touched.
    expect(round.client.checks.find((c) => c.check === 'serverKeyExchange')?.passed).toBe(true);
    expect(round.client.checks.find((c) => c.check === 'downgradeSentinel')).toBeUndefined();
    expect((viewFor(round, 'client') as ClientView).browser).toEqual({ hsts: false, tls12: { checksSentinel: false } });
    expect(clientLines(round).join('\n')).toContain('This old browser does not look for TLS 1.3’s downgrade sentinel in the random, and carries on in TLS 1.2.');
    expect(round.server.received).toEqual([]);
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.result?.summary).toBe(
      "Attack detected: Mallory edited Alice's ClientHello (ClientHello.extensions.4.versions edited) to offer only TLS 1.2, and the bank answered in TLS 1.2 with the downgrade sentinel in its random — but Alice's old browser does not look for it and carried on. TLS 1.2's own check caught the edit one step later: the bank's keys and Finished cover the hello it received, Alice's the hello she sent, so her Finished failed its tag at the bank. Had Mallory been able to break the TLS 1.2 key exchange as it ran (export-grade keys: FREAK, Logjam), she could have fixed up both Finished messages, and only the sentinel would have stood.",
    );
  });

  it('by hand: the same edit through the inspector’s field (supported_versions → 0x0303), then the sentinel rubbed out of the bank’s random: the careful browser goes on in 1.2, and the ServerKeyExchange signature over both randoms fails', () => {
    const round = startRound(5, 'downgrade/rub-out', EVENT);
    let step = 0;
    attack(round, (v: AttackerView) => {
      if (v.phase === 'over') return null;
      if (!v.intercept) return { type: 'setIntercept', on: true };
      const hello = step === 0 ? heldOf('ClientHello')(v) : undefined;
      if (hello !== undefined) {
        step = 1;
        return { type: 'editField', packetId: hello, path: fieldPath(v, hello, DOWNGRADE_EDIT.field), value: DOWNGRADE_EDIT.value };
      }
      const serverHello = step === 1 ? heldOf('ServerHello')(v) : undefined;
      if (serverHello !== undefined) {
        step = 2;
        const random = v.captured.find((p) => p.id === serverHello)!.hex.slice(22, 86); // after the record header (5 bytes), the handshake header (4) and legacy_version (2)
        expect(random.slice(48)).toBe(SENTINEL);
        return { type: 'editField', packetId: serverHello, path: fieldPath(v, serverHello, 'random'), value: random.slice(0, 48) + '00'.repeat(8) };
      }
      return v.held.length > 0 ? { type: 'forward', packetId: v.held[0]! } : null;
    });
    expect(round.client.checks.find((c) => c.check === 'downgradeSentinel')?.passed).toBe(true);
    expect(round.client.failure?.reason).toBe('badServerKeyExchange');
    expect(alertsFrom(round, 'client')).toEqual(['decrypt_error']);
    expect(round.result?.outcome).toBe('attackDetected');
  });

  it('is offered at level 5 alone', () => {
    expect(LEVELS.filter((level) => levelModule(level).events?.includes('versionDowngrade'))).toEqual([5]);
  });
});
