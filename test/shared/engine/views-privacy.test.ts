/**
 * No seat's view holds a secret its role does not legitimately know — checked as raw text,
 * hex and base64 in the JSON a server would send, for every attacker behaviour at every
 * level, once the round is over (when the views hold the most).
 */
import { describe, expect, it } from 'vitest';
import {
  ATTACKER_BEHAVIOURS,
  LEVELS,
  ROLES,
  secretsHiddenFrom,
  simulateRound,
  toBase64,
  toHex,
  viewFor,
  fromUtf8,
  type Round,
} from '@heist/shared';

function leaks(round: Round): string[] {
  const found: string[] = [];
  for (const role of ROLES) {
    const json = JSON.stringify(viewFor(round, role));
    for (const secret of secretsHiddenFrom(round, role)) {
      const forms = [toHex(secret.value), toBase64(secret.value)];
      try {
        forms.push(fromUtf8(secret.value));
      } catch {
        /* not text */
      }
      if (forms.some((f) => json.toLowerCase().includes(f.toLowerCase()))) found.push(`${role} sees ${secret.label}`);
    }
  }
  return found;
}

describe('views reveal nothing a role must not know', () => {
  for (const level of LEVELS) {
    for (const attacker of ATTACKER_BEHAVIOURS) {
      it(`level ${level}, ${attacker}`, () => {
        const { round } = simulateRound(level, { client: 'careless', server: 'standard', ca: 'sloppy', attacker }, `privacy/${level}/${attacker}`);
        expect(leaks(round)).toEqual([]);
      });
    }
  }

  it('the attacker never learns the PIN at levels 3-5 by listening', () => {
    for (const level of [3, 4, 5] as const) {
      const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, `pin/${level}`);
      const hidden = secretsHiddenFrom(round, 'attacker').map((s) => s.label);
      expect(hidden).toContain("client's PIN");
      expect(JSON.stringify(viewFor(round, 'attacker'))).not.toContain(`pin=${round.client.secret}`);
    }
  });

  it('the check can fail: at level 1 the PIN is on the wire for all to see', () => {
    const { round } = simulateRound(1, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' }, 'pin/1');
    expect(JSON.stringify(viewFor(round, 'attacker'))).toContain(`pin=${round.client.secret}`);
    expect(secretsHiddenFrom(round, 'attacker').map((s) => s.label)).not.toContain("client's PIN");
    expect(secretsHiddenFrom(round, 'ca').map((s) => s.label)).toContain("client's PIN");
  });
});
