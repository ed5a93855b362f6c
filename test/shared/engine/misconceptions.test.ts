/**
 * The misconceptions a round's play showed, seat by seat (referee/misconceptions.ts), over
 * scenario-matrix cells played by the bots (the same cells as expected-outcomes.ts, so the
 * outcome is asserted with them) and the false alarm played by hand: the exact list, per seat.
 * And the teaching map's one list of which level offers which event, as the level modules have it,
 * and the lesson plans' words, as the map and the report say them.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  EVENT_TEXTS,
  LEVEL_EVENTS,
  LEVEL_MAP_LINES,
  LEVELS,
  levelModule,
  MISCONCEPTION_WORDS,
  MISCONCEPTIONS,
  misconceptionsOf,
  simulateRound,
  EVENTS_OFFERED,
  type AnyAction,
  type AttackerBehaviour,
  type CaBehaviour,
  type CaView,
  type ClientBehaviour,
  type ClientView,
  type Level,
  type LevelEvent,
  type Misconception,
  type Outcome,
  type Role,
} from '@heist/shared';
import { honest, play, startRound } from './play.ts';

interface Cell {
  level: Level;
  event?: LevelEvent;
  attacker: AttackerBehaviour;
  client: ClientBehaviour;
  /** The CA bot (strict unless said). */
  ca?: CaBehaviour;
  outcome: Outcome;
  shown: Partial<Record<Role, Misconception[]>>;
}

const CELLS: Cell[] = [
  // Nothing wrong, nothing shown.
  { level: 1, attacker: 'none', client: 'careless', outcome: 'unprotected', shown: {} },
  { level: 4, attacker: 'none', client: 'careful', outcome: 'secure', shown: {} },
  // Her proxy's certificate: the careful client goes back, the careless one clicks through.
  { level: 4, attacker: 'fakeCertificate', client: 'careful', outcome: 'attackDetected', shown: {} },
  { level: 4, attacker: 'fakeCertificate', client: 'careless', outcome: 'impersonated', shown: { client: ['clickedThroughForgedCertificate'] } },
  { level: 4, attacker: 'keySubstitution', client: 'careless', outcome: 'impersonated', shown: { client: ['clickedThroughForgedCertificate'] } },
  // A mis-issued certificate passes every check: nothing to click through, nothing the client got wrong — the CA signed a name without checking it.
  { level: 4, attacker: 'fraudulentCsr', client: 'careless', ca: 'sloppy', outcome: 'impersonated', shown: { ca: ['misIssuedCertificate'] } },
  // A strict CA checks the name and refuses her: nothing shown.
  { level: 4, attacker: 'fraudulentCsr', client: 'careless', outcome: 'secure', shown: {} },
  // Stripping works only on the first visit's http://.
  { level: 4, attacker: 'strip', client: 'careful', outcome: 'secure', shown: {} },
  { level: 6, attacker: 'strip', client: 'careless', outcome: 'eavesdropped', shown: { client: ['trustedStrippedPage'] } },
  // The look-alike name fools even the careful client: every check passes for the name she asked for.
  { level: 5, event: 'lookalikeDomain', attacker: 'ownNameCertificate', client: 'careful', outcome: 'impersonated', shown: { client: ['acceptedLookalikeName'] } },
  { level: 7, event: 'lookalikeDomain', attacker: 'passive', client: 'careless', outcome: 'impersonated', shown: { client: ['acceptedLookalikeName'] } },
  // The café root: installed, then every check passes; refused, her certificate is caught.
  { level: 4, event: 'rogueRoot', attacker: 'fakeCertificate', client: 'careless', outcome: 'impersonated', shown: { client: ['installedRogueRoot'] } },
  { level: 4, event: 'rogueRoot', attacker: 'fakeCertificate', client: 'careful', outcome: 'attackDetected', shown: {} },
  { level: 6, event: 'rogueRoot', attacker: 'strip', client: 'careless', outcome: 'eavesdropped', shown: { client: ['installedRogueRoot', 'trustedStrippedPage'] } },
  // Clicking through the bank's own expired certificate is the bank's error, not a forged certificate.
  { level: 4, event: 'expiredCertificate', attacker: 'none', client: 'careless', outcome: 'unprotected', shown: {} },
  { level: 4, event: 'expiredCertificate', attacker: 'fakeCertificate', client: 'careless', outcome: 'impersonated', shown: { client: ['clickedThroughForgedCertificate'] } },
  // Level 2 without integrity: the client has no check to get wrong.
  { level: 2, event: 'encryptionWithoutIntegrity', attacker: 'tamper', client: 'careless', outcome: 'tampered', shown: {} },
];

describe('misconceptions a round showed, per seat (matrix cells)', () => {
  for (const cell of CELLS) {
    const name = `${cell.event ? `${cell.event}, ` : ''}level ${cell.level}, ${cell.attacker} attacker, ${cell.client} client${cell.ca ? `, ${cell.ca} CA` : ''} → ${cell.outcome}: ${JSON.stringify(cell.shown)}`;
    it(name, () => {
      const { round } = simulateRound(cell.level, { client: cell.client, server: 'standard', ca: cell.ca ?? 'strict', attacker: cell.attacker }, `matrix/${cell.event ? `${cell.event}/` : ''}${cell.level}/${cell.attacker}/${cell.client}${cell.event ? '' : `/${cell.ca ?? 'strict'}`}`, cell.event ? { event: cell.event } : {});
      expect(round.result?.outcome).toBe(cell.outcome);
      expect(misconceptionsOf(round)).toEqual(cell.shown);
    });
  }

  it('an abort on a hunch in a session nobody attacked: the client’s false alarm (the server showed none)', () => {
    const round = startRound(4, 'misconceptions/hunch');
    play(round, 'client', (v: ClientView): AnyAction | null => (v.allowed.includes('connect') ? { type: 'connect' } : v.allowed.includes('abort') ? { type: 'abort' } : null));
    expect(round.result?.outcome).toBe('falseAlarm');
    expect(misconceptionsOf(round)).toEqual({ client: ['abortedCleanSession'] });
  });

  it('a CA that refuses a proven request to revoke a leaked key’s certificate: the CA’s misconception (a careful Alice is fooled, and shows none)', () => {
    const bots = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' } as const;
    const round = startRound(5, 'misconceptions/refused-revocation', { bots, event: 'leakedKeyRevocation', humanSeats: ['ca'] });
    play(round, 'ca', (v: CaView): AnyAction | null => (v.revocation?.decision === 'pending' ? { type: 'answerRevocation', revoke: false } : v.allowed.includes('ready') ? { type: 'ready' } : null), bots);
    expect(round.result?.outcome).toBe('impersonated');
    expect(misconceptionsOf(round)).toEqual({ ca: ['refusedLeakedKeyRevocation'] });
  });

  it('a CA that revokes as asked shows none, and the hard-fail browser stops Mallory', () => {
    const bots = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fakeCertificate' } as const;
    const round = startRound(5, 'misconceptions/revoked', { bots, event: 'leakedKeyRevocation', humanSeats: ['ca'] });
    play(round, 'ca', (v: CaView): AnyAction | null => (v.revocation?.decision === 'pending' ? { type: 'answerRevocation', revoke: true } : v.allowed.includes('ready') ? { type: 'ready' } : null), bots);
    expect(round.result?.outcome).toBe('attackDetected');
    expect(misconceptionsOf(round)).toEqual({});
  });

  it('says nothing before the round has its result', () => {
    const round = startRound(4, 'misconceptions/early', { bots: { ...honest, client: 'careless', attacker: 'fakeCertificate' } });
    expect(round.result).toBeUndefined();
    expect(misconceptionsOf(round)).toEqual({});
  });
});

describe('the teaching map', () => {
  it('offers at each level exactly the events its module offers', () => {
    for (const level of LEVELS) expect(EVENTS_OFFERED[level], `level ${level}`).toEqual(levelModule(level).events ?? []);
  });
});

describe('docs/lesson-plans.md', () => {
  it('says each level’s and event’s line and each level’s misconception as the map does, and each misconception as the teacher’s report does', () => {
    const doc = readFileSync(new URL('../../../docs/lesson-plans.md', import.meta.url), 'utf8');
    for (const level of LEVELS) {
      expect(doc, `level ${level}'s line`).toContain(`| ${LEVEL_MAP_LINES[level].teaches} | ${LEVEL_MAP_LINES[level].misconception} |`);
    }
    for (const event of LEVEL_EVENTS) expect(doc, event).toContain(`| ${EVENT_TEXTS[event].teaches} |`);
    for (const m of MISCONCEPTIONS) expect(doc, m).toContain(`| ${MISCONCEPTION_WORDS[m]} |`);
  });
});
