/**
 * What a teacher reads in the debrief: it adds to the scoreboard's summary instead of repeating
 * it, and lists only keys that exist in the round played.
 */
import { describe, expect, it } from 'vitest';
import { ATTACKER_BEHAVIOURS, CLIENT_BEHAVIOURS, LEVELS, levelModule, simulateRound } from '@heist/shared';

describe('the debrief', () => {
  // One test per level: every bot cell of a level is a few dozen rounds.
  it.each(LEVELS)('never repeats the summary the scoreboard shows, nor a note twice (every bot cell of level id %s)', (level) => {
    for (const attacker of ATTACKER_BEHAVIOURS) {
      for (const client of CLIENT_BEHAVIOURS) {
        const { round } = simulateRound(level, { client, server: 'standard', ca: 'strict', attacker }, `debrief-words/${level}/${attacker}/${client}`);
        const { summary, debrief } = round.result!;
        const why = summary.slice(summary.indexOf(': ') + 2, -1);
        const where = `level ${level}, ${attacker}, ${client}`;
        for (const note of debrief.notes) expect(note.includes(why), `${where}: "${note}" repeats "${why}"`).toBe(false);
        expect(new Set(debrief.notes).size, where).toBe(debrief.notes.length);
      }
    }
  });

  it('still says when the other party closed too, and why', () => {
    const { round } = simulateRound(2, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'replay' }, 'debrief-words/also');
    expect(round.result?.summary).toMatch(/^Attack detected: replayed or reordered record/);
    expect(round.result?.debrief.notes).toContain('Alice closed the connection too: the other side sent alert unexpected_message.');
  });

  it('lists the CA\'s signing key only at levels where a CA plays, naming the intermediate where one signs', () => {
    for (const level of LEVELS) {
      const { round } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, `debrief-keys/${level}`);
      const keys = round.result!.debrief.keys.map((k) => k.key);
      const pki = levelModule(level).pki;
      if (!pki) expect(keys.filter((k) => k.startsWith("CA's signing key")), `level ${level}`).toEqual([]); // levels 1-3 have no CA
      else expect(keys, `level ${level}`).toContain(pki.issuer === 'intermediate' ? "CA's signing key (Heist Issuing CA, an intermediate)" : "CA's signing key");
    }
  });
});
