/**
 * A rogue root (issue 16, item 4), the event a host can switch on at the certified levels,
 * played as the players would: the café Wi-Fi's captive portal asks Alice to install "the café
 * certificate" — Mallory's own root — and her gateway shows the bank.example certificate that
 * root signed.
 * - installed: every check passes, the padlock shows, and the referee names the root as the
 *   cause (the CA did nothing wrong); the inspector's path ends at the root installed this round;
 * - refused: the same certificate fails as any self-signed fake does (unknown_ca);
 * - the choice is Alice's, not her behaviour's: a careful Alice who installs is fooled, a careless
 *   one who refuses is warned; a root installed while Mallory switched her gateway off harms
 *   nothing this round.
 */
import { describe, expect, it } from 'vitest';
import {
  applyAction,
  CA_NAME,
  EVENT_TEXTS,
  OUTCOME_POINTS,
  parseAction,
  ROGUE_ROOT_NAME,
  simulateRound,
  viewFor,
  type AttackerView,
  type ClientView,
  type Level,
} from '@heist/shared';
import { EVENT_LEVELS } from './expected-outcomes.ts';
import { alertsFrom, play, startRound } from './play.ts';

const INSTALLED_SUMMARY = `Impersonated: Alice had installed “${ROGUE_ROOT_NAME}”, the café Wi-Fi’s certificate — Mallory’s own root — so her browser took the bank.example certificate Mallory signed with it for the bank’s: the path ended at a root in her trust store, and the name, dates and key were right. Every check passed and the padlock showed while Mallory read everything. The CA did nothing wrong — it never signed that certificate: Alice’s trust store was changed.`;
const REFUSED_SUMMARY = `Attack detected: Alice had refused to install “${ROGUE_ROOT_NAME}”, the café Wi-Fi’s certificate, so her trust store held only the roots her browser came with: the bank.example certificate Mallory signed with that root failed her check (unknown issuer "${ROGUE_ROOT_NAME}" not in your trust store), and she went back.`;

/** The path her browser built, as her packet inspector shows it. */
const pathShown = (v: ClientView) => v.packets.find((p) => p.path)?.path;

/** Alice played by hand: answer the portal as told, connect, then `decide` any warning; send once the connection is up. */
const alice =
  (install: boolean, decide: 'trust' | 'abort' = 'abort') =>
  (v: ClientView) => {
    if (v.allowed.includes('answerPortal')) return { type: 'answerPortal', install } as const;
    if (v.allowed.includes('ready')) return { type: 'ready' } as const;
    if (v.allowed.includes('connect')) return { type: 'connect' } as const;
    if (v.decision) return { type: decide } as const;
    return v.allowed.includes('sendSecret') ? ({ type: 'sendSecret' } as const) : null;
  };

describe('a rogue root: the café certificate installed, every check passes', () => {
  for (const level of EVENT_LEVELS) {
    it(`level ${level}: the careless client installs it; Mallory’s bank.example certificate passes every check, the padlock shows, and the referee names the root`, () => {
      const { round, refused } = simulateRound(level, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'passive' }, `rogue/${level}`, { event: 'rogueRoot' });
      expect(refused).toEqual([]);
      const v = viewFor(round, 'client') as ClientView;
      expect(v.event).toBe('rogueRoot');
      expect(v.portal).toMatchObject({ root: ROGUE_ROOT_NAME, answer: 'installed' });
      expect(v.connection).toEqual({ kind: 'secure' });
      expect(v.checks.filter((c) => !c.passed)).toEqual([]);
      expect(v.checks.find((c) => c.check === 'issuer')?.detail).toBe(`issued by "${ROGUE_ROOT_NAME}", a CA in your trust store`);
      expect(pathShown(v)).toEqual({ steps: [{ role: 'leaf', subject: 'bank.example', issuer: ROGUE_ROOT_NAME, ca: false, failed: [] }], anchor: ROGUE_ROOT_NAME, anchorInstalled: true, unused: [], accepted: true });
      expect(round.result?.outcome).toBe('impersonated');
      expect(round.result?.summary).toBe(INSTALLED_SUMMARY);
      // The CA signed the bank's genuine request and nothing else: it keeps its point for that.
      expect(round.ca.requests.map((r) => [r.csr.subject, r.decision, r.domainControl.passed])).toEqual([['bank.example', 'signed', true]]);
      expect(round.result?.points).toEqual({ ...OUTCOME_POINTS.impersonated, ca: OUTCOME_POINTS.impersonated.ca + 1 });
      expect(round.result?.debrief.notes).toContain(EVENT_TEXTS.rogueRoot.debriefNote);
      // Her gateway relayed the order to the bank, and read it on the way.
      const mallory = viewFor(round, 'attacker') as AttackerView;
      expect(mallory.rogueRoot).toMatchObject({ root: { subject: ROGUE_ROOT_NAME }, forged: { subject: 'bank.example', issuer: ROGUE_ROOT_NAME }, alice: 'installed' });
      expect(mallory.substitute).toBe('selfSignedCertificate');
      expect(mallory.findings).toContain(`Read through your proxy: POST /transfer "pin=${round.client.secret}&to=${round.client.order.to}&amount=${round.client.order.amount}"`);
      expect(round.server.receivedText).toEqual([`PIN ${round.client.secret} (correct), pay ${round.client.order.amount} to ${round.client.order.to}`]);
    });

    it(`level ${level}: the careful client refuses it; the same certificate fails (unknown_ca), as any self-signed fake does`, () => {
      const { round, refused } = simulateRound(level, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' }, `rogue/refused/${level}`, { event: 'rogueRoot' });
      expect(refused).toEqual([]);
      const v = viewFor(round, 'client') as ClientView;
      expect(v.portal?.answer).toBe('refused');
      expect(round.client.config.trustStore.map((a) => a.name)).toEqual([CA_NAME]);
      expect(alertsFrom(round, 'client')).toEqual(['unknown_ca']);
      // The path stops at her certificate: nothing the gateway sent leads to a root in Alice's store.
      expect(pathShown(v)).toEqual({
        steps: [
          {
            role: 'leaf',
            subject: 'bank.example',
            issuer: ROGUE_ROOT_NAME,
            ca: false,
            failed: [
              { check: 'issuer', passed: false, detail: `unknown issuer "${ROGUE_ROOT_NAME}" not in your trust store` },
              { check: 'signature', passed: false, detail: 'could not be checked: the issuer is unknown, so there is no public key to check it with', blockedBy: 'issuer' },
            ],
          },
        ],
        unused: [],
        accepted: false,
      });
      expect(round.result?.outcome).toBe('attackDetected');
      expect(round.result?.summary).toBe(REFUSED_SUMMARY);
      expect((viewFor(round, 'attacker') as AttackerView).rogueRoot?.alice).toBe('refused');
    });
  }
});

describe('a rogue root: the choice is Alice’s', () => {
  it('level 5, by hand: a careful Alice who installs it is fooled as surely — every check passes, she sends her PIN', () => {
    const round = startRound(5, 'rogue/careful-installs', { event: 'rogueRoot', humanSeats: ['client'] });
    play(round, 'client', alice(true), { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' });
    expect((viewFor(round, 'client') as ClientView).connection).toEqual({ kind: 'secure' });
    expect(round.client.orderSent).toBe(true);
    expect(round.result?.outcome).toBe('impersonated');
    expect(round.result?.summary).toBe(INSTALLED_SUMMARY);
  });

  it('level 4, by hand: a careless Alice who refuses it gets the warning, and clicking through is the same old impersonation', () => {
    const round = startRound(4, 'rogue/careless-refuses', { event: 'rogueRoot', humanSeats: ['client'], clientHsts: false });
    play(round, 'client', alice(false, 'trust'), { client: 'careless', server: 'standard', ca: 'strict', attacker: 'none' });
    expect((viewFor(round, 'client') as ClientView).connection).toEqual({ kind: 'unverified', failed: ['issuer'] });
    expect(round.result?.outcome).toBe('impersonated');
    expect(round.result?.summary).toBe('Impersonated: the client completed its handshake with the attacker, who showed a certificate she signed herself, and took her for the bank.');
  });

  it('level 4e, by hand: Mallory switches her gateway off while preparing; the installed root harms nothing this round — Secure, and the note says it stays', () => {
    const round = startRound(6, 'rogue/gateway-off', { event: 'rogueRoot', humanSeats: ['attacker'] });
    let off = false;
    play(
      round,
      'attacker',
      (v: AttackerView) => {
        if (!off && v.allowed.includes('substitute')) {
          off = true;
          return { type: 'substitute', mode: 'off' };
        }
        return v.allowed.includes('ready') ? { type: 'ready' } : null;
      },
      { client: 'careless', server: 'standard', ca: 'strict', attacker: 'none' },
    );
    expect(round.client.portal?.answer).toBe('installed');
    const path = pathShown(viewFor(round, 'client') as ClientView);
    expect(path).toMatchObject({ anchor: CA_NAME, accepted: true });
    expect(path?.anchorInstalled).toBeUndefined();
    expect(round.result?.outcome).toBe('secure');
    expect(round.result?.debrief.notes).toContain(EVENT_TEXTS.rogueRoot.debriefNote);
  });
});

describe('the captive portal, as the rules say', () => {
  const fresh = (level: Level = 4) => startRound(level, 'rogue/portal', { event: 'rogueRoot', humanSeats: ['client'] });

  it('stands between Alice and the Wi-Fi: no ready, no connect before she answers; one answer only', () => {
    const round = fresh();
    const before = viewFor(round, 'client') as ClientView;
    expect(before.allowed).toEqual(['answerPortal']);
    expect(before.unavailable.ready).toBe('the café Wi-Fi’s page is waiting for your answer: install its certificate or refuse it first');
    expect(applyAction(round, 'client', { type: 'ready' }, 0)).toEqual({ code: 'outOfTurn', message: 'the café Wi-Fi’s page is waiting for your answer: install its certificate or refuse it first' });
    expect(applyAction(round, 'client', { type: 'answerPortal', install: true }, 0)).toBeNull();
    expect(round.client.config.trustStore.map((a) => [a.name, a.installed ?? false])).toEqual([
      [CA_NAME, false],
      [ROGUE_ROOT_NAME, true],
    ]);
    expect(applyAction(round, 'client', { type: 'answerPortal', install: false }, 0)).toEqual({ code: 'wrongPhase', message: 'you already installed the café certificate' });
    const after = viewFor(round, 'client') as ClientView;
    expect(after.allowed).toEqual(['ready']);
    expect(after.timeline.map((e) => e.text)).toEqual([`You installed “${ROGUE_ROOT_NAME}” as a trusted root: your browser now accepts any certificate it signs, for any site.`]);
    expect((viewFor(round, 'attacker') as AttackerView).timeline.map((e) => e.text)).toEqual([
      `Alice installed your café certificate: “${ROGUE_ROOT_NAME}” is in her trust store now, and every certificate you sign with it passes her checks.`,
    ]);
  });

  it('offers Alice the root itself to read: a CA certificate (cA TRUE) that may sign certificates, self-signed', () => {
    const v = viewFor(fresh(), 'client') as ClientView;
    const values = (name: string) => JSON.stringify(v.portal?.certificate).includes(name);
    expect(v.portal?.root).toBe(ROGUE_ROOT_NAME);
    expect(values('cA TRUE')).toBe(true);
    expect(values('keyCertSign')).toBe(true);
  });

  it('is not there without the event, and its answer is checked like any action from the network', () => {
    const round = startRound(4, 'rogue/none', { humanSeats: ['client'] });
    expect(applyAction(round, 'client', { type: 'answerPortal', install: true }, 0)).toEqual({ code: 'notAllowed', message: 'there is no captive portal this round: the café Wi-Fi lets you straight on' });
    expect((viewFor(round, 'client') as ClientView).portal).toBeUndefined();
    expect(parseAction('client', { type: 'answerPortal', install: 'yes' })).toEqual({ code: 'invalid', message: 'not a valid client action (install): Invalid type: Expected boolean but received "yes"' });
    expect(parseAction('client', { type: 'answerPortal' })).toMatchObject({ code: 'invalid' });
  });
});
