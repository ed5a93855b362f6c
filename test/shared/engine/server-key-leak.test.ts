/**
 * GAME.md level 5: after the round, the bank's long-term private key leaks. The attacker
 * decrypts the level-4 sessions she recorded, and not the level-5 ones (RFC 8446 §1.2,
 * forward secrecy; RFC 5246 key transport has none).
 */
import { describe, expect, it } from 'vitest';
import { recordingOf, simulateRound, tryKeyOnRecording, type Level, type Message } from '@heist/shared';

function recordPassively(level: Level, seed: string) {
  const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, seed);
  expect(round.result?.outcome).toBe('secure');
  return { round, recording: recordingOf(round) };
}

const bodies = (opened: Map<number, { message: Message }>) => [...opened.values()].flatMap((o) => (o.message.type === 'HttpRequest' ? [o.message.body] : []));

describe('server key leaked', () => {
  it('opens every recorded level-4 session: the pre-master was sealed to that key', () => {
    for (const seed of ['leak-a', 'leak-b', 'leak-c']) {
      const { round, recording } = recordPassively(4, seed);
      const trial = tryKeyOnRecording(recording, round.server.config.encryptionKey.secretKey);
      expect(bodies(trial.opened)).toEqual([`pin=${round.client.secret}&to=${round.client.order.to}&amount=${round.client.order.amount}`]);
      expect(trial.recovered['pre-master secret']).toEqual(round.client.learned['pre-master secret']);
    }
  });

  it('opens no level-5 session with either of the bank\'s long-term keys', () => {
    for (const seed of ['leak-a', 'leak-b', 'leak-c']) {
      const { round, recording } = recordPassively(5, seed);
      for (const key of [round.server.config.signingKey.secretKey, round.server.config.encryptionKey.secretKey]) {
        const trial = tryKeyOnRecording(recording, key);
        expect(trial.opened.size).toBe(0);
        expect(trial.explanation).toMatch(/forward secrecy/);
      }
    }
  });

  it('would open level 5 with the ephemeral secret: it is the deleted key share that protects it', () => {
    const { round, recording } = recordPassively(5, 'leak-ephemeral');
    const ephemeral = round.client.learned['ephemeral X25519 secret (forgotten after the handshake)']!;
    const trial = tryKeyOnRecording(recording, ephemeral);
    expect(bodies(trial.opened)).toEqual([expect.stringContaining(`pin=${round.client.secret}`)]);
  });

  it("opens no level-4e session (TLS 1.2 with ECDHE) with either of the bank's long-term keys: forward secrecy comes from the key exchange", () => {
    for (const seed of ['leak-a', 'leak-b', 'leak-c']) {
      const { round, recording } = recordPassively(6, seed);
      for (const key of [round.server.config.signingKey.secretKey, round.server.config.encryptionKey.secretKey]) {
        const trial = tryKeyOnRecording(recording, key);
        expect(trial.opened.size).toBe(0);
        expect(trial.explanation).toMatch(/forward secrecy/);
      }
    }
  });

  it('would open level 4e with either one-time P-256 secret: it is the deleted key share that protects it', () => {
    const { round, recording } = recordPassively(6, 'leak-ephemeral');
    for (const side of ['client', 'server'] as const) {
      const ephemeral = round[side].learned['ephemeral P-256 secret (forgotten after the handshake)']!;
      const trial = tryKeyOnRecording(recording, ephemeral);
      expect(bodies(trial.opened), side).toEqual([expect.stringContaining(`pin=${round.client.secret}`)]);
      expect(trial.recovered['pre-master secret (ECDHE)']).toEqual(round.client.learned['pre-master secret']);
    }
  });

  it('the debrief compares the leak across RSA transport (4), TLS 1.2 ECDHE (4e) and TLS 1.3 (5)', () => {
    const leak = recordPassively(6, 'debrief-4e').round.result?.debrief.serverKeyLeak;
    expect(leak).toMatchObject({ opened: false, headline: expect.stringMatching(/forward secrecy/) });
    expect(leak!.compare.map((r) => [r.level, r.opens, r.thisRound])).toEqual([
      [4, true, false],
      [6, false, true],
      [5, false, false],
    ]);
    expect(leak!.compare.map((r) => r.how)).toEqual([expect.stringMatching(/RSA key transport/), expect.stringMatching(/TLS 1\.2 ECDHE/), expect.stringMatching(/TLS 1\.3/)]);
  });

  it('every level 4-5 debrief plays the leak on its own round', () => {
    expect(recordPassively(4, 'debrief-4').round.result?.debrief.serverKeyLeak).toMatchObject({ opened: true });
    expect(recordPassively(5, 'debrief-5').round.result?.debrief.serverKeyLeak).toMatchObject({ opened: false, text: expect.stringMatching(/forward secrecy/) });
  });

  it('a wrong key opens nothing at level 4', () => {
    const { recording } = recordPassively(4, 'leak-wrong');
    expect(tryKeyOnRecording(recording, new Uint8Array(32).fill(9)).opened.size).toBe(0);
  });
});
