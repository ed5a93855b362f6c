/**
 * Which RSA keys a round asks the live server for, level by level (game/roundKeys.ts): fresh
 * ones at level 4, where the client encrypts to the bank's key and certificates carry the
 * attacker's; spare ones at 4e, 5 and 6 (the chain of trust), where nothing is encrypted to an
 * RSA key and the certificates carry the ECDSA key; none at levels 1-3 (X25519). And the round plays with the
 * keys it was given. GameSession on a drivable clock, as GameRoom runs it, without sockets.
 */
import { describe, expect, it } from 'vitest';
import { LEVELS, LEVEL_MODULES, RSA_KEY_POOL, seededRng, toHex, type Level, type RoundRsaKeys } from '@heist/shared';
import { rsaKeyPair } from '../../shared/src/pki/keys.ts';
import { DEFAULT_TIMING } from '../../server/src/config.ts';
import { GameSession } from '../../server/src/game/session.ts';
import { rsaKeysWanted, type RsaKeysWanted } from '../../server/src/game/roundKeys.ts';
import { GameState } from '../../server/src/schema/GameState.ts';
import { ManualScheduler } from '../../server/src/time/manualScheduler.ts';

/** A key source that says what it was asked for and hands out known keys: the fixed pool's, two a round. */
function recordingSource() {
  const asked: RsaKeysWanted[] = [];
  return {
    asked,
    take(wanted: RsaKeysWanted): RoundRsaKeys {
      asked.push(wanted);
      return { bank: RSA_KEY_POOL[2]!, attacker: RSA_KEY_POOL[3]! };
    },
  };
}

function roundAt(level: Level) {
  const source = recordingSource();
  const session = new GameSession(new GameState().assign({ code: 'KEYS1' }), seededRng('keys'), DEFAULT_TIMING, new ManualScheduler(), {
    send: () => undefined,
    disconnect: () => undefined,
    roundOver: () => undefined,
    log: () => undefined,
  }, { rsaKeys: source });
  session.startRound(level);
  return { asked: source.asked, round: session.currentRound! };
}

describe('the RSA keys a round asks for', () => {
  it('fresh at level 4, spare at 4e, 5 and 6, none at levels 1-3', () => {
    expect(Object.fromEntries(LEVELS.map((level) => [level, rsaKeysWanted(LEVEL_MODULES[level]) ?? 'none']))).toEqual({
      1: 'none',
      2: 'none',
      3: 'none',
      4: 'fresh',
      6: 'spare',
      5: 'spare',
      7: 'spare',
    });
    expect(Object.fromEntries(LEVELS.map((level) => [level, roundAt(level).asked]))).toEqual({ 1: [], 2: [], 3: [], 4: ['fresh'], 6: ['spare'], 5: ['spare'], 7: ['spare'] });
  });

  it('and plays with the keys it was given: the bank’s and the attacker’s', () => {
    for (const level of [4, 6, 5, 7] as const) {
      const { round } = roundAt(level);
      expect(toHex(round.server.config.encryptionKey.secretKey), `level ${level}: the bank's RSA key`).toBe(toHex(rsaKeyPair(RSA_KEY_POOL[2]!).secretKey));
      expect(toHex(round.attacker.encryptionKey.secretKey), `level ${level}: the attacker's RSA key`).toBe(toHex(rsaKeyPair(RSA_KEY_POOL[3]!).secretKey));
    }
  });
});
