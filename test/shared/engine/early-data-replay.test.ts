/**
 * Early data, replayed (issue 16, item 3), a level-5 event, played as the players would: Alice
 * comes back with yesterday's ticket and sends "pay 60 to Carol" as 0-RTT early data; Mallory, by
 * hand, sends a copy of her first flight. The standard bank's single-use tickets refuse the copy
 * (Attack detected, paid once); the careless bank pays twice (Tampered). What each seat sees, the
 * tool's refusals in words, the bytes on the wire (pre_shared_key with its binder, psk_dhe_ke,
 * early_data, no certificate). The ticket's age (RFC 8446 §4.2.11.1, §8.3): Alice's hello says how
 * old her ticket is, every bank checks the hello arrives when that age says — a copy sent at once
 * passes, so the careless bank still pays twice; a copy Mallory sends 30 s later does not, even there.
 */
import { describe, expect, it } from 'vitest';
import {
  binderFor,
  decodeMessage,
  EVENT_TEXTS,
  EVENT_VERDICTS,
  OUTCOME_POINTS,
  viewFor,
  type AttackerView,
  type ClientView,
  type MessageOf,
  type Round,
  type ServerView,
} from '@heist/shared';
import { attack, clientLines as clientLinesOf, play, startRound } from './play.ts';
import { FRESHNESS_WINDOW_MS, pskOffer } from '../../../shared/src/handshake/tls13-tickets.ts';
import { earlyDataOpensWithTicketKey } from '../../../shared/src/referee/ticket-key.ts';

const EVENT = { event: 'earlyDataReplay' } as const;

function round(bank: 'standard' | 'careless', seed: string): Round {
  return startRound(5, seed, { ...EVENT, bots: { client: 'careful', server: bank, ca: 'strict', attacker: 'none' } });
}

/** Mallory's hand: she waits for Alice's first flight to pass, then replays it once. */
const replayByHand = () => {
  let done = false;
  return (v: AttackerView) => {
    if (done || !v.allowed.includes('replayFirstFlight')) return null;
    done = true;
    return { type: 'replayFirstFlight' } as const;
  };
};

const decoded = (r: Round) =>
  r.packets.map((p) => {
    try {
      return decodeMessage(p.bytes);
    } catch {
      return undefined;
    }
  });

describe('early data, replayed (level 5)', () => {
  it('the first flight on the wire: a ClientHello offering yesterday’s ticket (binder, psk_dhe_ke, early_data) and the early data record right behind it; the bank answers without a certificate', () => {
    const r = round('standard', 'early data wire');
    attack(r, () => null, { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' });
    const [hello, early] = r.packets.filter((p) => p.from === 'client').slice(0, 2);
    const ch = decodeMessage(hello!.bytes) as MessageOf<'ClientHello'>;
    expect(ch.extensions.map((e) => e.type).slice(-3)).toEqual(['psk_key_exchange_modes', 'early_data', 'pre_shared_key']);
    const psk = ch.extensions.at(-1) as Extract<MessageOf<'ClientHello'>['extensions'][number], { type: 'pre_shared_key' }>;
    expect(psk.offer!.identities[0]!.identity).toEqual(r.client.config.resumption!.ticket.ticket);
    expect(psk.offer!.binders[0]).toEqual(binderFor(ch, r.client.config.resumption!.ticket.psk));
    expect(decodeMessage(early!.bytes).type).toBe('EncryptedRecord');
    expect(early!.sentAt).toBe(hello!.sentAt);
    const labels = decoded(r).map((m) => m?.type);
    expect(labels).not.toContain('Certificate'); // resumed: no certificate at all, not even encrypted (its records are opaque)
    expect(r.server.checks.filter((c) => ['pskBinder', 'earlyDataReplay'].includes(c.check)).map((c) => [c.check, c.passed])).toEqual([
      ['pskBinder', true],
      ['earlyDataReplay', true],
    ]);
    expect(r.server.received).toEqual([{ pin: r.client.secret, to: 'Carol', amount: 60 }]);
    expect(r.client.response).toBe('200 Transfer of 60 to Carol done');
    expect(r.result?.outcome).toBe('secure');
    // The capture's key log has the early traffic secret, so Wireshark opens the early data too.
    expect(r.keyLog.filter((l) => l.startsWith('CLIENT_EARLY_TRAFFIC_SECRET'))).toHaveLength(1);
  });

  it('Mallory replays the first flight by hand: the standard bank takes each ticket once — Attack detected, the transfer paid once', () => {
    const r = round('standard', 'early data standard bank');
    attack(r, replayByHand(), { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' });
    expect(r.server.received).toHaveLength(1);
    expect(r.result?.outcome).toBe('attackDetected');
    expect(r.result?.summary).toBe(`Attack detected: ${EVENT_VERDICTS.earlyDataReplayRefused}.`);
    expect([r.result?.points.client, r.result?.points.server, r.result?.points.attacker]).toEqual([OUTCOME_POINTS.attackDetected.client, OUTCOME_POINTS.attackDetected.server, OUTCOME_POINTS.attackDetected.attacker]);
    const bank = viewFor(r, 'server') as ServerView;
    expect(bank.timeline.map((t) => t.text)).toContain(
      'A second connection (a copy of a ClientHello): This ticket was already used: single-use tickets (RFC 8446 §8.1), so not taken again — a full handshake, and the early data that came with it is skipped unread.',
    );
    expect(r.result?.debrief.checks.find((c) => c.check === 'earlyDataReplay' && c.flagged)).toMatchObject({ by: 'server' });
    expect(r.result?.debrief.notes).toContain(EVENT_TEXTS.earlyDataReplay.debriefNote);
    // Had the bank's ticket key leaked instead: computed on Mallory's recording, her copy of the early data opens; the session after the handshake does not.
    expect(r.result?.debrief.serverKeyLeak?.compare.filter((c) => c.name).map((c) => [c.name, c.opens, c.thisRound])).toEqual([
      ['Level 5, resumed with a ticket: its 0-RTT early data', true, true],
      ['Level 5, resumed with a ticket (psk_dhe_ke): after the handshake', false, true],
      ['Level 5, resumed with the ticket alone (psk_ke)', true, false],
    ]);
    expect(earlyDataOpensWithTicketKey({ ...r, server: { ...r.server, config: { ...r.server.config, tickets: { ...r.server.config.tickets!, key: new Uint8Array(16) } } } })).toBe(false); // another key opens nothing
  });

  it('the careless bank reads the copy’s early data again and pays twice — Tampered; Mallory never read a byte of it', () => {
    const r = round('careless', 'early data careless bank');
    let seenBeforeEnd: AttackerView | undefined;
    const replay = replayByHand();
    attack(
      r,
      (v: AttackerView) => {
        if (v.phase !== 'over') seenBeforeEnd = v;
        return replay(v);
      },
      { client: 'careful', server: 'careless', ca: 'strict', attacker: 'none' },
    );
    expect(r.server.received).toEqual([
      { pin: r.client.secret, to: 'Carol', amount: 60 },
      { pin: r.client.secret, to: 'Carol', amount: 60 },
    ]);
    expect(r.result?.outcome).toBe('tampered');
    expect(r.result?.summary).toBe(`Tampered: ${EVENT_VERDICTS.earlyDataReplayed(2, 60, 'Carol')}.`);
    expect(r.attacker.submissions).toEqual([]);
    expect(JSON.stringify(seenBeforeEnd)).not.toContain(`pin=${r.client.secret}`);
    expect(Object.keys(r.attacker.learned)).toEqual([]);
  });

  it('a bank played by a person sets its ticket rule while preparing: as often as it comes, and the replay bot makes it pay twice; once play begins the rule stays', () => {
    const r = startRound(5, 'early data human bank', { ...EVENT, humanSeats: ['server'], bots: { client: 'careful', server: 'standard', ca: 'strict', attacker: 'replay' } });
    const bank = () => viewFor(r, 'server') as ServerView;
    expect(bank().tickets).toEqual({ singleUse: true });
    let refusedOnce: string | undefined;
    play(
      r,
      'server',
      (v: ServerView) => {
        if (v.phase === 'preparing' && v.tickets?.singleUse) return { type: 'chooseTickets', singleUse: false };
        if (v.allowed.includes('requestCertificate') && v.csr === 'none') return { type: 'requestCertificate' };
        if (v.allowed.includes('ready') && v.csr === 'issued') return { type: 'ready' };
        if (v.phase === 'playing') refusedOnce ??= v.unavailable.chooseTickets;
        return null;
      },
      { client: 'careful', server: 'standard', ca: 'strict', attacker: 'replay' },
    );
    expect(refusedOnce).toBe('play has begun: your server keeps the ticket rule you set');
    expect(bank().timeline.map((t) => t.text)).toContain('Our server takes a session ticket as often as it comes: early data with it is read every time.');
    expect(r.server.received).toHaveLength(2);
    expect(r.result?.outcome).toBe('tampered');
    // Without the event there is no ticket rule to set.
    expect(viewFor(startRound(5, 'no tickets'), 'server').unavailable.chooseTickets).toBe('your server issues no session tickets this round');
  });

  it('each seat’s view: Alice resumes and sends her order at once; Mallory has the tool (refused in words before play); without the event there is none', () => {
    const r = round('standard', 'early data views');
    const mallory = () => viewFor(r, 'attacker') as AttackerView;
    expect(mallory().tools).toContain('replayFirstFlight');
    play(r, 'client', (v: ClientView) => (v.allowed.includes('connect') ? { type: 'connect' } : null), { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' });
    const alice = viewFor(r, 'client') as ClientView;
    expect(alice.timeline.map((t) => t.text)).toContain(`Sent the PIN and the transfer as 0-RTT early data, right behind the ClientHello: pin=${r.client.secret}&to=Carol&amount=60`);
    expect(alice.orderSent).toBe(true);
    expect(alice.allowed).not.toContain('sendSecret');
    // Before play, Mallory's tool says why it waits.
    const early = round('standard', 'early data refusals');
    expect(viewFor(early, 'attacker').unavailable.replayFirstFlight).toBe('play has not begun yet');
    const other = startRound(5, 'no event');
    expect((viewFor(other, 'attacker') as AttackerView).tools).not.toContain('replayFirstFlight');
    expect(viewFor(other, 'attacker').unavailable.replayFirstFlight).toBeUndefined(); // not a tool there: her panel hides it
  });

  it('the ticket’s age on the wire is the time since Alice’s browser got the ticket, in ms, plus its age_add (RFC 8446 §4.2.11.1): a day and the seconds before she connects', () => {
    const r = round('standard', 'early data age');
    let connectAt: number | undefined;
    play(
      r,
      'client',
      (v: ClientView) => {
        if (!v.allowed.includes('connect')) return null;
        connectAt ??= r.now + 60_000; // she waits a minute before connecting: the age counts it
        return r.now >= connectAt ? { type: 'connect' } : null;
      },
      { client: 'careful', server: 'standard', ca: 'strict', attacker: 'none' },
      { wakeAt: () => connectAt },
    );
    const hello = decodeMessage(r.packets.find((p) => p.from === 'client')!.bytes) as MessageOf<'ClientHello'>;
    const sentAt = r.packets.find((p) => p.from === 'client')!.sentAt - r.startedAt;
    expect(sentAt).toBeGreaterThanOrEqual(60_000);
    const { ageAdd } = r.client.config.resumption!.ticket;
    expect(pskOffer(hello)!.identities[0]!.obfuscatedTicketAge).toBe((86_400_000 + sentAt + ageAdd) % 2 ** 32);
    // The bank expects it when it comes (one hop later): fresh, and her order is read as early data.
    expect(r.server.checks.find((c) => c.check === 'ticketFreshness')).toMatchObject({ passed: true });
    expect(r.server.received).toEqual([{ pin: r.client.secret, to: 'Carol', amount: 60 }]);
    expect(r.result?.outcome).toBe('secure');
  });

  it('freshness does not stop a copy sent at once: the careless bank finds Mallory’s copy as fresh as Alice’s hello, and pays twice', () => {
    const r = round('careless', 'early data fresh copy');
    attack(r, replayByHand(), { client: 'careful', server: 'careless', ca: 'strict', attacker: 'none' });
    expect(r.server.checks.filter((c) => c.check === 'ticketFreshness').map((c) => c.passed)).toEqual([true, true]); // Alice's hello, then the copy
    expect(r.result?.outcome).toBe('tampered');
    expect(r.result?.debrief.notes).toContain(EVENT_TEXTS.earlyDataReplay.debriefNote);
  });

  it(`Mallory holds the bank’s answers and replays Alice’s first flight ${FRESHNESS_WINDOW_MS / 1000 + 20} s later: even the careless bank finds the copy stale (RFC 8446 §8.3) and skips its early data — Attack detected, paid once`, () => {
    for (const bank of ['careless', 'standard'] as const) {
      const r = round(bank, `early data late copy ${bank}`);
      let replayAt: number | undefined;
      let replayed = false;
      play(
        r,
        'attacker',
        (v: AttackerView) => {
          if (v.phase !== 'playing') return null;
          if (!v.intercept && !replayed) return { type: 'setIntercept', on: true };
          if (!replayed) {
            // Alice's packets go on; the bank's wait at the tap.
            const fromAlice = v.captured.find((p) => v.held.includes(p.id) && p.from === 'client');
            if (fromAlice) return { type: 'forward', packetId: fromAlice.id };
            if (!v.allowed.includes('replayFirstFlight')) return null;
            replayAt ??= r.now + (FRESHNESS_WINDOW_MS + 20_000);
            if (r.now < replayAt) return null;
            replayed = true;
            return { type: 'replayFirstFlight' };
          }
          if (v.intercept) return { type: 'setIntercept', on: false };
          return v.held.length > 0 ? { type: 'forwardAll' } : null;
        },
        { client: 'careful', server: bank, ca: 'strict', attacker: 'none' },
        { wakeAt: () => (replayed ? undefined : replayAt) },
      );
      expect(replayed).toBe(true);
      expect(r.server.received).toEqual([{ pin: r.client.secret, to: 'Carol', amount: 60 }]);
      expect(r.result?.outcome).toBe('attackDetected');
      if (bank === 'careless') {
        expect(r.result?.summary).toBe(`Attack detected: ${EVENT_VERDICTS.earlyDataReplayTooLate}.`);
        expect(r.server.checks.filter((c) => c.check === 'ticketFreshness').map((c) => c.passed)).toEqual([true, false]);
        const bankView = viewFor(r, 'server') as ServerView;
        expect(bankView.timeline.map((t) => t.text).find((t) => t.startsWith('A second connection (a copy of a ClientHello): The hello arrived'))).toMatch(
          /^A second connection \(a copy of a ClientHello\): The hello arrived 30\.\d s later than its ticket's age says \(RFC 8446 §8\.3: more than 10 s off\): the ticket is taken, its 0-RTT early data skipped unread, and the handshake goes on in 1-RTT\.$/,
        );
        expect(r.result?.debrief.checks.find((c) => c.check === 'ticketFreshness' && c.flagged)).toMatchObject({ by: 'server' });
      } else {
        // The single-use bank turns the ticket away before it looks at the age: its own words.
        expect(r.result?.summary).toBe(`Attack detected: ${EVENT_VERDICTS.earlyDataReplayRefused}.`);
      }
    }
  });

  it('Mallory holds Alice’s own first flight 30 s before she lets it go: the bank skips its early data as stale, Alice sends her order again inside the session — paid once', () => {
    const r = round('careless', 'early data held flight');
    let releaseAt: number | undefined;
    let released = false;
    play(
      r,
      'attacker',
      (v: AttackerView) => {
        if (v.phase !== 'playing') return null;
        if (!released && !v.intercept) return { type: 'setIntercept', on: true };
        if (!released) {
          if (v.held.length < 2) return null; // the ClientHello and the early data record
          releaseAt ??= r.now + 30_000;
          if (r.now < releaseAt) return null;
          released = true;
          return { type: 'setIntercept', on: false };
        }
        return v.held.length > 0 ? { type: 'forwardAll' } : null;
      },
      { client: 'careful', server: 'careless', ca: 'strict', attacker: 'none' },
      { wakeAt: () => (released ? undefined : releaseAt) },
    );
    expect(r.server.checks.filter((c) => c.check === 'ticketFreshness').map((c) => c.passed)).toEqual([false]);
    expect(clientLinesOf(r)).toContain('EncryptedExtensions: the bank did not read our early data; we send it again once the handshake is over.');
    expect(r.server.received).toEqual([{ pin: r.client.secret, to: 'Carol', amount: 60 }]);
    expect(r.client.response).toBe('200 Transfer of 60 to Carol done');
    expect(r.result?.outcome).toBe('secure');
    expect(r.result?.summary).toBe(`Secure: ${EVENT_VERDICTS.earlyDataHeldTooLong}.`);
  });
});
