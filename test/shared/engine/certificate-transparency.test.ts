/**
 * Certificate Transparency (issue 16, item 7), the event a host can switch on at level 5, played
 * as the players would:
 * - a sloppy CA signs bank.example for Mallory; the certificate is logged with its SCT, so it
 *   passes even the browser that requires CT: Impersonated — CT does not stop the first attack —
 *   but the bank's monitor spots it in the log, and the referee credits the bank and blames the CA;
 * - a careless bank never looks at the log: the same attack, nobody notices;
 * - a CA (played by hand) that signs Mallory's request but leaves it out of the log: no SCT, so
 *   the up-to-date browser refuses it (Attack detected), the old one does not, and the log shows
 *   nothing for the monitor to find;
 * - the log is public: every seat and the projector read the same entries and tree head; only
 *   the bank's view carries what its monitor flagged.
 */
import { describe, expect, it } from 'vitest';
import {
  CA_DECISION_POINTS,
  CT_LOG_NAME,
  CT_MONITOR_POINTS,
  EVENT_TEXTS,
  OUTCOME_POINTS,
  applyAction,
  nextEventAt,
  playBots,
  simulateRound,
  tick,
  spectatorView,
  viewFor,
  type AnyAction,
  type BotBehaviours,
  type CaView,
  type ClientView,
  type FieldNode,
  type ServerView,
  toHex,
} from '@heist/shared';
import { honest, play, startRound } from './play.ts';

const EVENT = { event: 'certificateTransparency' } as const;
const SPOTTED =
  "Impersonated: the CA signed a bank.example certificate for Mallory's key without proving she controls the name — the CA's mistake — and Alice's browser accepted it: the CA's signature, the name and the dates were right. The certificate went into the public CT log, and the bank's log monitor spotted a bank.example certificate it never asked for: Certificate Transparency did not stop this first attack, it made the mis-issuance visible — the bank would now ask the CA to revoke it.";
const UNWATCHED =
  "Impersonated: the CA signed a bank.example certificate for Mallory's key without proving she controls the name — the CA's mistake — and Alice's browser accepted it: the CA's signature, the name and the dates were right. The certificate is in the public CT log for anyone to see, but this bank never looks at the log: nobody noticed.";
const UNLOGGED =
  "Impersonated: the CA signed a bank.example certificate for Mallory's key without proving she controls the name — the CA's mistake — and Alice's browser accepted it: the CA's signature, the name and the dates were right, and her old browser did not ask for an SCT. The CA kept it out of the CT log, so nobody watching the log could see it — a browser that requires CT would have refused it for want of an SCT.";
const NO_SCT = 'no signed certificate timestamp (SCT): bank.example was never shown to a public Certificate Transparency log, and this browser requires one';

const ctCheck = (v: ClientView) => v.checks.find((c) => c.check === 'certificateTransparency');

describe('Certificate Transparency: a mis-issued certificate, logged', () => {
  for (const client of ['careful', 'careless'] as const) {
    it(`${client} client: the sloppy CA's bank.example certificate for Mallory carries its SCT and passes; the bank's monitor spots it — Impersonated, the bank credited, the CA blamed`, () => {
      const { round, refused } = simulateRound(5, { client, server: 'standard', ca: 'sloppy', attacker: 'fraudulentCsr' }, `ct/spotted/${client}`, EVENT);
      expect(refused).toEqual([]);
      expect(round.result?.outcome).toBe('impersonated');
      expect(round.result?.summary).toBe(SPOTTED);
      // The first attack is not stopped: the bank scores nothing for the outcome, but its monitor is credited.
      expect(round.result?.points.server).toBe(OUTCOME_POINTS.impersonated.server + CT_MONITOR_POINTS.spotted);
      expect(round.result?.points.ca).toBe(OUTCOME_POINTS.impersonated.ca + CA_DECISION_POINTS.signedGenuine + CA_DECISION_POINTS.misIssued);
      expect(round.result?.debrief.notes).toContain(EVENT_TEXTS.certificateTransparency.debriefNote);
      expect(round.result?.debrief.notes.join(' ')).toContain('the bank would now ask the CA to revoke it');
      const bank = viewFor(round, 'server') as ServerView;
      expect(bank.ctMonitor).toEqual({ watching: true, spotted: [1] });
      const mallorys = round.ctLog!.entries[1]!.certificate;
      expect(bank.timeline.map((t) => t.text)).toContain(
        `Our log monitor: ${CT_LOG_NAME} entry #1 is a certificate for bank.example (serial ${mallorys.serial}, from Heist Root CA) with a key that is not ours — we never asked for it. Mis-issued: the bank would now ask the CA to revoke it.`,
      );
      const alice = viewFor(round, 'client') as ClientView;
      expect(alice.browser?.transparency).toEqual({ requiresSct: client === 'careful' });
      // Only the up-to-date browser asks for an SCT; it is there, so it passes.
      expect(ctCheck(alice)?.passed).toBe(client === 'careful' ? true : undefined);
      if (client === 'careful') expect(ctCheck(alice)?.detail).toBe('logged: an SCT from Heist CT Log, signed 2027-01-15 08:00 UTC, verifies — anyone watching the log can see this certificate');
    });
  }

  it('a careless bank never looks at the log: the same certificate is there for anyone to see, and nobody notices', () => {
    const { round } = simulateRound(5, { client: 'careful', server: 'careless', ca: 'sloppy', attacker: 'fraudulentCsr' }, 'ct/unwatched', EVENT);
    expect(round.result?.outcome).toBe('impersonated');
    expect(round.result?.summary).toBe(UNWATCHED);
    expect(round.result?.points.server).toBe(OUTCOME_POINTS.impersonated.server);
    expect((viewFor(round, 'server') as ServerView).ctMonitor).toEqual({ watching: false, spotted: [] });
    expect(round.ctLog!.entries.map((e) => e.requester)).toEqual(['server', 'attacker']);
  });

  it('the strict CA refuses her: the log holds the bank’s certificate alone, the careful browser’s SCT check passes — Secure, nothing spotted', () => {
    const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'fraudulentCsr' }, 'ct/strict', EVENT);
    expect(round.result?.outcome).toBe('secure');
    expect(round.result?.points.server).toBe(OUTCOME_POINTS.secure.server);
    expect(round.ctLog!.entries.map((e) => [e.certificate.subject, e.requester])).toEqual([['bank.example', 'server']]);
    expect(round.ctLog!.spotted).toEqual([]);
    expect(ctCheck(viewFor(round, 'client') as ClientView)?.passed).toBe(true);
  });
});

/** The CA played by hand: signs the bank's request, and Mallory's (from the café Wi-Fi) without logging it. */
const caKeepsHersOutOfTheLog = (v: CaView): AnyAction | null => {
  const pending = v.requests.find((r) => r.decision === 'pending');
  if (pending) return { type: 'sign', csrId: pending.id, ...(pending.requester.includes('café') ? { log: false } : {}) };
  return v.allowed.includes('ready') && !v.ready ? { type: 'ready' } : null;
};

describe('Certificate Transparency: a certificate the CA kept out of the log', () => {
  for (const client of ['careful', 'careless'] as const) {
    const bots: BotBehaviours = { client, server: 'standard', ca: 'strict', attacker: 'fraudulentCsr' };
    it(`${client} client: ${client === 'careful' ? 'no SCT, and her browser requires one — Attack detected' : 'her old browser asks for no SCT — Impersonated, and nothing in the log for the monitor'}`, () => {
      const round = startRound(5, `ct/unlogged/${client}`, { ...EVENT, bots, humanSeats: ['ca'] });
      play(round, 'ca', caKeepsHersOutOfTheLog, bots);
      expect(round.phase).toBe('over');
      expect(round.ctLog!.entries.map((e) => e.requester)).toEqual(['server']);
      expect(round.ctLog!.spotted).toEqual([]);
      expect(round.timeline.map((t) => t.text)).toContain(`Signed a certificate for bank.example (request #2) without fetching its challenge, leaving it out of ${CT_LOG_NAME}: it carries no SCT.`);
      if (client === 'careful') {
        expect(round.result?.outcome).toBe('attackDetected');
        expect(round.client.failure?.reason).toBe('certificateRejected');
        expect(ctCheck(viewFor(round, 'client') as ClientView)).toEqual({ check: 'certificateTransparency', passed: false, detail: NO_SCT });
        expect(round.result?.summary).toBe(`Attack detected: certificate rejected: ${NO_SCT}.`);
      } else {
        expect(round.result?.outcome).toBe('impersonated');
        expect(round.result?.summary).toBe(UNLOGGED);
      }
      expect(round.result?.points.server).toBe(OUTCOME_POINTS[round.result!.outcome].server);
    });
  }

  it('the bank’s own certificate kept out of the log: the careful browser refuses it — Wrong certificate, the CA’s doing, no false alarm; the old browser does not look — Secure', () => {
    for (const client of ['careful', 'careless'] as const) {
      const bots: BotBehaviours = { client, server: 'standard', ca: 'strict', attacker: 'none' };
      const round = startRound(5, `ct/bank-unlogged/${client}`, { ...EVENT, bots, humanSeats: ['ca'] });
      play(round, 'ca', (v: CaView) => {
        const pending = v.requests.find((r) => r.decision === 'pending');
        if (pending) return { type: 'sign', csrId: pending.id, log: false };
        return v.allowed.includes('ready') && !v.ready ? { type: 'ready' } : null;
      }, bots);
      expect(round.ctLog!.entries).toEqual([]);
      if (client === 'careful') {
        expect(round.result?.outcome).toBe('misconfigured');
        expect(round.result?.summary).toBe(
          "Wrong certificate: the CA signed the bank's own certificate but kept it out of the Certificate Transparency log, so it carries no SCT, and Alice's up-to-date browser, which requires one, refused it — no attacker needed, and no false alarm. Her browser was right to stop; the bank needs a certificate its CA has logged.",
        );
      } else {
        expect(round.result?.outcome).toBe('secure');
      }
    }
  });

  it('outside the event there is no log to leave a certificate out of: the CA is told so, and nothing is signed', () => {
    const round = startRound(5, 'ct/no-log', { humanSeats: ['ca'] });
    playBots(round, honest, [], ['server']);
    tick(round, nextEventAt(round)!); // the bank's request reaches the CA
    expect((viewFor(round, 'ca') as CaView).requests.map((r) => [r.id, r.subject, r.decision])).toEqual([[1, 'bank.example', 'pending']]);
    expect(applyAction(round, 'ca', { type: 'sign', csrId: 1, log: false }, round.now)).toEqual({ code: 'notAllowed', message: 'there is no Certificate Transparency log this round: nothing to leave the certificate out of' });
    expect(round.ca.requests[0]!.decision).toBe('pending');
    expect(applyAction(round, 'ca', { type: 'sign', csrId: 1 }, round.now)).toBeNull();
  });
});

describe('Certificate Transparency: the log is public, the monitor the bank’s', () => {
  it('every seat and the projector read the same entries and tree head; only the bank’s view says what its monitor flagged', () => {
    const { round } = simulateRound(5, { client: 'careful', server: 'standard', ca: 'sloppy', attacker: 'fraudulentCsr' }, 'ct/views', EVENT);
    const views = [...(['client', 'server', 'ca', 'attacker'] as const).map((r) => viewFor(round, r)), spectatorView(round, 'public'), spectatorView(round, 'everything')];
    const log = views[0]!.ctLog!;
    expect(log.name).toBe(CT_LOG_NAME);
    expect(log.treeSize).toBe(2);
    expect(log.entries.map((e) => [e.index, e.subject, e.issuer])).toEqual([
      [0, 'bank.example', 'Heist Root CA'],
      [1, 'bank.example', 'Heist Root CA'],
    ]);
    for (const v of views) expect(v.ctLog).toEqual(log);
    expect(views.filter((v) => 'ctMonitor' in v).map((v) => ('role' in v ? v.role : v.scope))).toEqual(['server']);
    // The bank's inspector shows the SCT list among its certificate's extensions, with what it is.
    const find = (nodes: FieldNode[]): FieldNode | undefined => nodes.map((n) => (n.name === 'CT Precertificate SCTs' ? n : find(n.children ?? []))).find((n) => n !== undefined);
    const sct = find((viewFor(round, 'server') as ServerView).certificate!)!;
    expect(sct.value).toBe(`log ${toHex(round.server.config.certificate!.scts!.subarray(5, 13))}…, 2027-01-15 08:00 UTC`);
    expect(sct.explain).toBe('CT Precertificate SCTs (RFC 6962 §3.3): signed certificate timestamps — each a public log’s signed promise that it published this certificate, where its owner (and anyone) can see it. Browsers that require Certificate Transparency refuse a certificate without one');
  });
});
