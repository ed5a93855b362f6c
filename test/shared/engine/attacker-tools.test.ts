/**
 * The attacker's tools used by hand, as a student would: each has the consequence the RFCs
 * give it. An edited hello makes the keys differ or the Finished MACs differ (RFC 5246
 * §7.4.9, RFC 8446 §4.4.4); the AEAD tag catches an edited record; bad input gets a typed error.
 */
import { describe, expect, it } from 'vitest';
import { applyAction, parseAction, simulateRound, startPlay, viewFor, type AttackerView } from '@heist/shared';
import { attack, startRound } from './play.ts';

describe('editing a hello is caught', () => {
  const edits = {
    // The offered suites do not feed the keys: only the Finished MAC over the transcript can notice.
    4: { path: 'cipherSuites', value: '0x009C, 0x1301', caughtBy: 'badFinished' },
    // In TLS 1.3 the transcript feeds the key schedule itself: the encrypted handshake no longer opens.
    5: { path: 'random', value: '11'.repeat(32), caughtBy: 'handshakeKeysDiffer' },
  } as const;
  for (const level of [4, 5] as const) {
    const edit = edits[level];
    it(`level ${level}: a changed ClientHello.${edit.path} is caught (${edit.caughtBy})`, () => {
      const round = startRound(level, `edit-hello-${level}`);
      let edited = false;
      attack(round, (v) => {
        if (v.phase === 'over') return null;
        if (!v.intercept && !edited) return { type: 'setIntercept', on: true };
        const hello = v.captured.find((p) => v.held.includes(p.id) && p.label === 'ClientHello');
        if (hello && !edited) {
          edited = true;
          return { type: 'editField', packetId: hello.id, path: edit.path, value: edit.value };
        }
        if (v.held.length > 0) return { type: 'forwardAll' };
        return v.intercept && edited ? { type: 'setIntercept', on: false } : null;
      });
      expect(round.result?.outcome).toBe('attackDetected');
      expect([round.client.failure?.reason, round.server.failure?.reason]).toContain(edit.caughtBy);
    });
  }
});

describe('records', () => {
  it('a replayed level-3 record is refused by the game\'s own visible sequence check', () => {
    const round = startRound(3, 'replay-record');
    let replayed = false;
    attack(round, (v) => {
      const records = v.captured.filter((p) => p.from === 'client' && p.label === 'EncryptedRecord' && p.status === 'delivered');
      if (records.length >= 1 && !replayed) {
        replayed = true;
        return { type: 'replay', packetId: records[0]!.id };
      }
      return null;
    });
    expect(round.server.failure).toEqual({ reason: 'recordOutOfSequence', expected: 1, got: 0 });
    expect(round.server.received).toHaveLength(1);
    expect(round.result?.outcome).toBe('attackDetected');
  });

  it('level 2: with the stolen key, a re-sealed edit passes — the tag only proves who holds the key', () => {
    const round = startRound(2, 'reseal');
    let done = false;
    attack(round, (v) => {
      if (v.phase === 'over') return null;
      if (!v.intercept && !done) return { type: 'setIntercept', on: true };
      const key = v.captured.find((p) => p.label === 'KeyTransport')?.fields.find((f) => f.path === 'key')?.value;
      const record = v.captured.find((p) => v.held.includes(p.id) && p.label === 'EncryptedRecord');
      if (record && key && !record.plaintext && !done) return { type: 'tryKey', packetId: record.id, keyHex: key };
      if (record?.plaintext && !done) {
        done = true;
        return { type: 'editField', packetId: record.id, path: 'plaintext.body', value: `pin=${round.client.secret}&to=Mallory&amount=5000` };
      }
      if (v.held.length > 0) return { type: 'forwardAll' };
      return null;
    });
    expect(round.server.received).toEqual([{ pin: round.client.secret, to: 'Mallory', amount: 5000 }]);
    expect(round.result?.outcome).toBe('tampered');
  });
});

describe('hostile input', () => {
  it('rejects wrong shapes, unknown types and oversized fields with a typed error', () => {
    const bad: unknown[] = [
      null,
      42,
      'forward',
      {},
      { type: 'explode' },
      { type: 'forward' },
      { type: 'forward', packetId: -1 },
      { type: 'forward', packetId: 1.5 },
      { type: 'forward', packetId: '1' },
      { type: 'forward', packetId: 1, extra: true },
      { type: 'editBytes', packetId: 1, hex: 'zz' },
      { type: 'editBytes', packetId: 1, hex: 'ab'.repeat(5000) },
      { type: 'requestCertificate', subject: 'bank.example/../../etc' },
      { type: 'submitSecret', secret: 'x'.repeat(100) },
      { type: 'inject', to: 'ca', hex: '00' },
    ];
    for (const raw of bad) {
      const result = parseAction('attacker', raw);
      expect(result).toMatchObject({ code: 'invalid' });
    }
    expect(parseAction('client', { type: 'forwardAll' })).toMatchObject({ code: 'invalid' });
    expect(parseAction('attacker', { type: 'forward', packetId: 3 })).toEqual({ type: 'forward', packetId: 3 });
  });

  it('refuses moves out of turn without changing the round, and says so in the seat\'s allowed actions', () => {
    const round = startRound(4, 'out-of-turn');
    startPlay(round, 0);
    expect(applyAction(round, 'client', { type: 'sendSecret' }, 0)).toMatchObject({ code: 'outOfTurn' });
    expect(applyAction(round, 'client', { type: 'trust' }, 0)).toMatchObject({ code: 'outOfTurn' });
    expect(applyAction(round, 'ca', { type: 'sign', csrId: 7 }, 0)).toMatchObject({ code: 'outOfTurn' });
    expect(applyAction(round, 'attacker', { type: 'forward', packetId: 1 }, 0)).toMatchObject({ code: 'notAllowed' });
    expect(applyAction(round, 'attacker', { type: 'editBytes', packetId: 99, hex: '00' }, 0)).toMatchObject({ code: 'notAllowed' });
    expect(applyAction(round, 'attacker', { type: 'setIntercept', on: true }, 0)).toBeNull();
    expect(applyAction(round, 'client', { type: 'connect' }, 0)).toBeNull();
    expect(applyAction(round, 'attacker', { type: 'forward', packetId: 99 }, 0)).toMatchObject({ code: 'notFound' });
    expect(round.packets).toHaveLength(1); // Alice's first request, held at the tap
    expect(viewFor(round, 'client').allowed).toEqual(['abort']);
    expect(viewFor(round, 'ca').allowed).toEqual([]);
    expect(viewFor(round, 'attacker').allowed).toContain('forward');
  });

  it('offers each level\'s tools only: no stripping or CA requests before HTTPS exists', () => {
    const tools = ([1, 2, 3, 4, 5] as const).map((level) => (viewFor(startRound(level, `tools/${level}`), 'attacker') as AttackerView).tools);
    expect(tools[0]).not.toContain('tryKey');
    expect(tools[1]).toContain('tryKey');
    expect(tools[2]).toContain('substitute');
    for (const t of tools.slice(0, 3)) expect(t).not.toContain('strip');
    for (const t of tools.slice(3)) expect(t).toEqual(expect.arrayContaining(['strip', 'requestCertificate', 'substitute']));
    const round = startRound(2, 'tools/strip');
    startPlay(round, 0);
    expect(applyAction(round, 'attacker', { type: 'strip' }, 0)).toMatchObject({ code: 'notAllowed', message: expect.stringMatching(/nothing to strip/) });
  });

  it('raw garbage injected at either party fails its handshake, never the round', () => {
    for (const to of ['client', 'server'] as const) {
      const round = startRound(5, `garbage-${to}`);
      let injected = false;
      attack(round, (v) => {
        if (injected || v.captured.length === 0 || v.phase !== 'playing') return null;
        injected = true;
        return { type: 'inject', to, hex: 'ff00000301020304' };
      });
      expect(round.phase).toBe('over');
      expect(round.result?.outcome).toBe('attackDetected');
    }
  });

  it('limits PIN guesses to three', () => {
    const round = startRound(3, 'guesses');
    startPlay(round, 0);
    for (const guess of ['0000', '0001', '0002']) expect(applyAction(round, 'attacker', { type: 'submitSecret', secret: guess }, 0)).toBeNull();
    expect(applyAction(round, 'attacker', { type: 'submitSecret', secret: round.client.secret }, 0)).toMatchObject({ code: 'notAllowed' });
  });
});

describe('SSL stripping', () => {
  it('relays the careless client\'s plain request to the bank over the attacker\'s own secure session', () => {
    const { round } = simulateRound(4, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'strip' }, 'strip-relay');
    expect(round.server.received).toEqual([round.client.order]); // the transfer really happened…
    expect(round.server.peer).toBe('attacker'); // …over a session the bank opened with Mallory
    expect(round.server.connection.stage).toBe('traffic');
    expect(round.client.response).toMatch(/^200 Transfer of/);
    expect(round.result?.outcome).toBe('eavesdropped');
  });
});

describe('"edit a field" offers only what an edit can set', () => {
  it('every TLS message on the Wi-Fi at levels 4, 4e and 5: no computed length, type or fixed version; a ServerHello’s random and suite are there', () => {
    for (const level of [4, 6, 5] as const) {
      const round = startRound(level, `editable-${level}`);
      let seen: AttackerView | undefined;
      attack(round, (v) => {
        seen = v;
        return null;
      });
      const packets = seen!.captured.filter((p) => p.editable);
      expect(packets.length, `level ${level}`).toBeGreaterThan(5);
      for (const p of packets) {
        const offered = new Set(p.editable);
        for (const fixed of ['contentType', 'recordVersion', 'recordLength', 'handshakeType', 'handshakeLength', 'legacyVersion']) {
          expect([...offered].some((path) => path.split('.').at(-1) === fixed && p.label !== 'EncryptedRecord'), `${p.label}: ${fixed}`).toBe(false);
        }
        if (p.label === 'ServerHello') expect([...offered]).toEqual(expect.arrayContaining(['random', 'cipherSuite']));
      }
    }
  });
});
