/** docs/rules.md shows the game's rules to teachers: it must say what the code does. */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  alertFor,
  ATTACKER_BEHAVIOURS,
  BUDGETS,
  SEAT_LIMITS,
  type Budget,
  CA_DECISION_POINTS,
  CT_MONITOR_POINTS,
  CALL_OUTCOMES,
  CLIENT_BEHAVIOURS,
  HIDDEN_ATTACKER_POINTS,
  CA_BEHAVIOURS,
  LEVEL_EVENTS,
  type LevelEvent,
  LEVEL_MODULES,
  LEVELS,
  OUTCOME_POINTS,
  OUTCOME_TITLES,
  OUTCOMES,
  type AttackerBehaviour,
  type CertificateCheckName,
  type Level,
} from '@heist/shared';
import { EVENT_EXPECTED, EVENT_EXPECTED_BY_BANK, EVENT_LEVELS, EXPECTED, expectedLevelsOf, otherDefender } from './expected-outcomes.ts';

const doc = readFileSync(new URL('../../../docs/rules.md', import.meta.url), 'utf8');

function cells(first: string): string[] {
  const line = doc.split('\n').find((l) => l.startsWith(`| ${first} |`));
  expect(line, `row for ${first}`).toBeDefined();
  return line!.split('|').slice(2, -1).map((c) => c.trim());
}
const row = (title: string) => cells(title).map(Number);

/** How docs/rules.md writes an attacker behaviour. */
const ATTACK_WORDS: Record<AttackerBehaviour, string> = {
  none: 'none',
  passive: 'passive',
  keySubstitution: 'key substitution',
  fakeCertificate: 'fake certificate',
  fraudulentCsr: 'fraudulent CSR',
  tamper: 'tamper',
  replay: 'replay',
  strip: 'strip',
  ownNameCertificate: 'own-name certificate',
  ownCertificateAsCa: 'own certificate as a CA',
};

/** One cell of the bots' table, written as the doc writes it: one outcome, or one per client or per CA. */
function cell(level: Level, attacker: AttackerBehaviour): string {
  const outcome = (client: (typeof CLIENT_BEHAVIOURS)[number], ca: (typeof CA_BEHAVIOURS)[number]) => OUTCOME_TITLES[EXPECTED[level][attacker](client, ca)];
  const all = CLIENT_BEHAVIOURS.flatMap((c) => CA_BEHAVIOURS.map((ca) => outcome(c, ca)));
  if (all.every((o) => o === all[0])) return all[0]!;
  const careful = outcome('careful', 'strict');
  const careless = outcome('careless', 'strict');
  if (careful !== careless) return `careful: ${careful}; careless: ${careless}`;
  return `strict CA: ${outcome('careful', 'strict')}; sloppy CA: ${outcome('careful', 'sloppy')}`;
}

describe('docs/rules.md', () => {
  it('has the points of every outcome exactly as scored', () => {
    for (const outcome of OUTCOMES) {
      const p = OUTCOME_POINTS[outcome];
      expect(row(OUTCOME_TITLES[outcome])).toEqual([p.client, p.server, p.ca, p.attacker]);
    }
  });

  it('has the CA decision points exactly as scored', () => {
    expect(row('signed a genuine request')).toEqual([CA_DECISION_POINTS.signedGenuine]);
    expect(row('refused a fraudulent request')).toEqual([CA_DECISION_POINTS.refusedFraud]);
    expect(row('signed a fraudulent request (mis-issued)')).toEqual([CA_DECISION_POINTS.misIssued]);
    expect(row('refused a genuine request')).toEqual([CA_DECISION_POINTS.refusedGenuine]);
    expect(row("the bank's monitor spotted a certificate for its name it never asked for (server)")).toEqual([CT_MONITOR_POINTS.spotted]);
    expect(row("revoked a leaked key's certificate, as its bank asked")).toEqual([CA_DECISION_POINTS.revokedLeakedKey]);
    expect(row('refused to revoke it')).toEqual([CA_DECISION_POINTS.refusedRevocation]);
  });

  it('has the hidden-attacker mode’s points and calls exactly as scored', () => {
    expect(row('the attacker, her attack detected')).toEqual([HIDDEN_ATTACKER_POINTS.attackDetected]);
    expect(row('no attacker in the room: a right call')).toEqual([HIDDEN_ATTACKER_POINTS.rightCall]);
    expect(row('no attacker in the room: a wrong call, or none')).toEqual([HIDDEN_ATTACKER_POINTS.wrongCall]);
    // "A, B or C", as the doc lists them.
    const titles = (outcomes: readonly (typeof OUTCOMES)[number][]) => {
      const t = outcomes.map((o) => OUTCOME_TITLES[o]);
      return t.length > 1 ? `${t.slice(0, -1).join(', ')} or ${t.at(-1)}` : t[0]!;
    };
    const prose = doc.replace(/\s+/g, ' ');
    expect(prose).toContain(`*They will complete the session* is right when the round ends ${titles(CALL_OUTCOMES.complete)};`);
    expect(prose).toContain(`*they will abort it* when it ends ${titles(CALL_OUTCOMES.abort)};`);
  });

  it('shows what the bots produce exactly as the scenario matrix plays it', () => {
    expect(cells('Attack'), 'the columns, in the order the levels are taught').toEqual(LEVELS.map((level) => `L${LEVEL_MODULES[level].texts.label}`));
    for (const attacker of ATTACKER_BEHAVIOURS) expect(cells(ATTACK_WORDS[attacker]), attacker).toEqual(LEVELS.map((level) => cell(level, attacker)));
  });

  it('shows what the bots produce with each event exactly as the scenario matrix plays it', () => {
    const EVENT_WORDS: Record<LevelEvent, string> = { lookalikeDomain: 'look-alike name', expiredCertificate: 'expired certificate', rogueRoot: 'rogue root', encryptionWithoutIntegrity: 'without integrity', harvestNowDecryptLater: 'harvest', versionDowngrade: 'downgrade', earlyDataReplay: 'early data', hstsFirstVisit: 'first visit', hstsReturningVisit: 'returning visit', hstsSubdomain: 'subdomain', certificateTransparency: 'CT', leakedKeyRevocation: 'leaked key' };
    // One table per set of levels: the certificate events at every certified level, level 2's own event on its own.
    const tables = [
      { header: 'Event, attack', events: ['lookalikeDomain', 'expiredCertificate', 'rogueRoot'] },
      { header: 'Event at level 2, attack', events: ['encryptionWithoutIntegrity'] },
      { header: 'Event at level 5, attack', events: ['harvestNowDecryptLater'] },
      { header: 'Downgrade event at level 5, attack', events: ['versionDowngrade'] },
      { header: 'Early data at level 5, attack', events: ['earlyDataReplay'] },
      { header: 'First visit (HSTS), attack', events: ['hstsFirstVisit'] },
      { header: 'Returning visit (HSTS), attack', events: ['hstsReturningVisit'] },
      { header: 'Subdomain (HSTS includeSubDomains), attack', events: ['hstsSubdomain'] },
      { header: 'Certificate Transparency, attack', events: ['certificateTransparency'] },
      { header: 'Leaked key, attack', events: ['leakedKeyRevocation'] },
    ] as const satisfies readonly { header: string; events: readonly LevelEvent[] }[];
    expect(tables.flatMap((t) => t.events).sort()).toEqual([...LEVEL_EVENTS].sort());
    for (const table of tables) {
      const levels = expectedLevelsOf(table.events[0]);
      const labels = levels.map((level) => `L${LEVEL_MODULES[level].texts.label}`);
      const byBank = EVENT_EXPECTED_BY_BANK[table.events[0]];
      expect(cells(table.header), table.header).toEqual([...labels, ...(byBank ? labels.map((l) => `${l}, ${otherDefender(byBank)}`) : [])]);
      for (const event of table.events) expect(expectedLevelsOf(event), event).toEqual(levels);
    }
    expect(EVENT_LEVELS).toEqual(expectedLevelsOf('lookalikeDomain'));
    const written = (f: (client: 'careful' | 'careless') => (typeof OUTCOMES)[number]) => {
      const [careful, careless] = [OUTCOME_TITLES[f('careful')], OUTCOME_TITLES[f('careless')]];
      return careful === careless ? careful : `careful: ${careful}; careless: ${careless}`;
    };
    for (const event of LEVEL_EVENTS) {
      const byBank = EVENT_EXPECTED_BY_BANK[event];
      for (const attacker of ATTACKER_BEHAVIOURS) {
        const expected = expectedLevelsOf(event).map((level) => written(EVENT_EXPECTED[event][level]![attacker]));
        // An event whose defence is the bank's: a second column, the other bank's.
        const other = byBank ? expectedLevelsOf(event).map((level) => written(byBank.rows[level]![attacker])) : [];
        expect(cells(`${EVENT_WORDS[event]}, ${ATTACK_WORDS[attacker]}`), `${event} × ${attacker}`).toEqual([...expected, ...other]);
      }
    }
  });

  it('names the one attack each level\'s bots play, as the level modules say', () => {
    for (const level of LEVELS) expect(cells(LEVEL_MODULES[level].texts.label)).toEqual([ATTACK_WORDS[LEVEL_MODULES[level].botAttack]]);
  });

  it('lists each certificate alert as the engine sends it', () => {
    const rejected = (check: CertificateCheckName) => alertFor({ reason: 'certificateRejected', checks: [{ check, passed: false, detail: '' }] });
    expect(cells('certificate from an unknown issuer')).toEqual([rejected('issuer')]);
    expect(cells('certificate with a bad signature or for another name')).toEqual([rejected('signature')]);
    expect(rejected('name')).toBe(rejected('signature'));
    expect(cells('certificate signed by one that is no CA, may not sign certificates, or stands too deep (level 6)')).toEqual([rejected('caFlag')]);
    expect([rejected('caKeyUsage'), rejected('pathLength')]).toEqual([rejected('caFlag'), rejected('caFlag')]);
    expect(cells('certificate expired or not yet valid')).toEqual([rejected('notExpired')]);
    expect(rejected('notYetValid')).toBe(rejected('notExpired'));
    expect(cells('certificate key of the wrong kind or use')).toEqual([rejected('keyUsage')]);
    expect(cells('certificate revoked, or without the OCSP answer a hard-fail browser requires (the leaked-key event)')).toEqual([rejected('revocation')]);
    expect(cells('ClientHello for a name the bank is not')).toEqual([alertFor({ reason: 'unrecognizedName', name: 'evil.example' })]);
    expect(cells('ServerHello with a suite the client never offered')).toEqual([alertFor({ reason: 'unofferedCipherSuite', chosen: 1 })]);
    expect(cells('a record fails its tag (changed, replayed, reordered, or different keys)')).toEqual([alertFor({ reason: 'badRecordMac' })]);
    expect(cells('ServerHello in TLS 1.2 whose random ends in the downgrade sentinel (level 5, the downgrade event)')).toEqual([alertFor({ reason: 'downgradeSentinel' })]);
    expect(alertFor({ reason: 'handshakeKeysDiffer', message: 'Finished' })).toBe('bad_record_mac');
  });

  it('lists what one seat may add to a round exactly as the engine limits it', () => {
    const rows: Record<Budget, string> = {
      moves: 'moves of any kind',
      injections: 'injected packets',
      replays: 'replayed packets',
      edits: 'edits of held packets',
      bytes: 'bytes of her own on the wire (injected, replayed or edited)',
      certificateRequests: 'certificate requests to the CA (the bank\'s too)',
      keyTrials: 'keys tried',
      guesses: 'PIN guesses',
    };
    for (const budget of BUDGETS) expect(row(rows[budget]), budget).toEqual([SEAT_LIMITS[budget]]);
  });

  it('no longer says Finished catches any change to the hellos, nor that TLS 1.3 invented forward secrecy', () => {
    expect(doc).not.toMatch(/any change to the hellos/);
    expect(doc).toMatch(/derive different keys/);
    expect(doc).toMatch(/TLS 1\.2's ECDHE suites had it/);
  });
});
