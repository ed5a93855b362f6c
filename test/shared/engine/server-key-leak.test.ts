/**
 * GAME.md level 5: after the round, the bank's long-term private key leaks. The attacker
 * decrypts the level-4 sessions she recorded, and not the level-5 ones (RFC 8446 §1.2,
 * forward secrecy; RFC 5246 key transport has none).
 */
import { describe, expect, it } from 'vitest';
import { attack, editOnce, fieldPath, heldOf, startRound } from './play.ts';
import { ATTACKER_BEHAVIOURS, CLIENT_BEHAVIOURS, LEVEL_TEXTS, recordingOf, simulateRound, tryKeyOnRecording, type Level, type Message } from '@heist/shared';

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

  it('the debrief compares the leak across RSA transport (4), TLS 1.2 ECDHE (4e) and TLS 1.3 (5), the quantum event (X25519 alone, X25519MLKEM768), and a leaked ticket key on a resumed session (its early data, the session after the handshake, psk_ke)', () => {
    const leak = recordPassively(6, 'debrief-4e').round.result?.debrief.serverKeyLeak;
    expect(leak).toMatchObject({ opened: false, headline: expect.stringMatching(/forward secrecy/) });
    expect(leak!.compare.map((r) => [r.level, r.opens, r.thisRound])).toEqual([
      [4, true, false],
      [6, false, true],
      [5, false, false],
      [5, true, false],
      [5, false, false],
      [5, true, false],
      [5, false, false],
      [5, true, false],
    ]);
    expect(leak!.compare.map((r) => r.how)).toEqual([
      expect.stringMatching(/RSA key transport/),
      expect.stringMatching(/TLS 1\.2 ECDHE/),
      expect.stringMatching(/TLS 1\.3/),
      expect.stringMatching(/^TLS 1\.3 with X25519 alone: a quantum computer breaks X25519/),
      expect.stringMatching(/^TLS 1\.3 with the hybrid X25519MLKEM768 key share/),
      expect.stringMatching(/^TLS 1\.3 resumed with a session ticket, and the bank’s ticket key leaks/),
      expect.stringMatching(/^TLS 1\.3 resumed with a ticket and a fresh key exchange: .* \(forward secrecy\)$/),
      expect.stringMatching(/^TLS 1\.3 resumed with the ticket alone: .* the whole session opens$/),
    ]);
  });

  it('every level 4-5 debrief plays the leak on its own round', () => {
    expect(recordPassively(4, 'debrief-4').round.result?.debrief.serverKeyLeak).toMatchObject({ opened: true });
    expect(recordPassively(5, 'debrief-5').round.result?.debrief.serverKeyLeak).toMatchObject({ opened: false, text: expect.stringMatching(/forward secrecy/) });
  });

  it('a wrong key opens nothing at level 4', () => {
    const { recording } = recordPassively(4, 'leak-wrong');
    expect(tryKeyOnRecording(recording, new Uint8Array(32).fill(9)).opened.size).toBe(0);
  });

  it('after a tampered level-4 round her recording keeps the originals of what she edited (she saw them first): it opens, and the headline says so', () => {
    const { round } = simulateRound(4, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'tamper' }, 'leak-tampered');
    expect(round.result?.outcome).toBe('attackDetected');
    expect(round.packets.some((p) => p.origin === 'edited')).toBe(true);
    const trial = tryKeyOnRecording(recordingOf(round), round.server.config.encryptionKey.secretKey);
    expect(bodies(trial.opened)).toEqual([`pin=${round.client.secret}&to=${round.client.order.to}&amount=${round.client.order.amount}`]);
    expect(round.result?.debrief.serverKeyLeak).toMatchObject({
      opened: true,
      headline: 'Her recording opens: she reads the past.',
      text: "Server key leaked: with the bank's private key, the attacker's recording of this round opens — she reads the PIN and the transfer order. Key transport has no forward secrecy.",
    });
  });

  it('a round where no encrypted record crossed her Wi-Fi is not "forward secrecy": there was nothing to open', () => {
    for (const level of [4, 6, 5] as const) {
      // She changes the name Alice asks for: the bank refuses the hello (unrecognized_name) before anything is encrypted.
      const round = startRound(level, `leak-nothing/${level}`);
      attack(round, editOnce(heldOf('ClientHello'), (id, v) => ({ type: 'editField', packetId: id, path: fieldPath(v, id, 'hostName'), value: 'evil.example' })));
      expect(round.server.failure?.reason).toBe('unrecognizedName');
      expect(recordingOf(round).packets.some((p) => p.message.type === 'EncryptedRecord'), `level ${level}`).toBe(false);
      expect(round.result?.debrief.serverKeyLeak).toMatchObject({
        opened: false,
        headline: 'Nothing to open: no encrypted record crossed her Wi-Fi.',
        text: 'Server key leaked: but the conversation ended before anything was encrypted, so her recording of this round holds nothing for any key to open.',
      });
    }
  });

  for (const level of [4, 6, 5] as const) {
    it(`the headline follows what the key opens, in every bot round at level ${LEVEL_TEXTS[level].label}`, () => {
      for (const attacker of ATTACKER_BEHAVIOURS) {
        for (const client of CLIENT_BEHAVIOURS) {
          const { round } = simulateRound(level, { client, server: 'standard', ca: 'strict', attacker }, `leak-headline/${level}/${attacker}/${client}`);
          const leak = round.result!.debrief.serverKeyLeak!;
          const trial = tryKeyOnRecording(recordingOf(round), round.server.config[round.module.longTermKey!.of].secretKey);
          const where = `level ${LEVEL_TEXTS[level].label}, ${attacker}, ${client}: ${leak.headline} / ${leak.text}`;
          expect(leak.opened, where).toBe(trial.opened.size > 0);
          expect(/^Her recording opens/.test(leak.headline), where).toBe(trial.opened.size > 0);
          if (/forward secrecy/.test(leak.headline)) expect(recordingOf(round).packets.some((p) => p.message.type === 'EncryptedRecord'), where).toBe(true);
        }
      }
    });
  }

  it('level 4 says what else the leaked RSA key does: it impersonates the bank until the certificate is revoked', () => {
    expect(recordPassively(4, 'leak-afterword').round.result?.debrief.serverKeyLeak?.afterword).toBe(
      'The leaked key does more than open old recordings: with it Mallory can decrypt every new session to this certificate and pose as the bank. The bank must revoke its certificate and get a new one, for a new key.',
    );
  });
});
