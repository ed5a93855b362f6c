/**
 * TLS 1.3 resumption and 0-RTT in the engine (RFC 8446 §2.2-2.3, §4.2.10-4.2.11, §4.6.1, §8):
 * the engine's bank issues a ticket after a full handshake; the engine's browser comes back with
 * it (pre_shared_key with its binder, psk_dhe_ke, early_data) and sends its request as 0-RTT early
 * data. A copy of that first flight sent to the bank again is read again by a bank that lets a
 * ticket be used twice, and refused by a single-use one (§8.1). OpenSSL plays the other end in
 * test/tls/early-data-replay.test.ts.
 */
import { describe, expect, it } from 'vitest';
import { seededRng } from '../../../shared/src/crypto/rng.ts';
import { encodeHttp } from '../../../shared/src/messages/http.ts';
import type { ClientConfig, HttpMessage, Output, ServerConfig } from '../../../shared/src/handshake/types.ts';
import type { ServerConnection } from '../../../shared/src/handshake/machine.ts';
import { binderFor, clientsTicketAge, decodeTicketBody, freshness, obfuscateTicketAge, pskOffer, type SessionTicket, type TicketPolicy } from '../../../shared/src/handshake/tls13-tickets.ts';
import { LEVEL_MODULES } from '../../../shared/src/levels/index.ts';
import type { Message, MessageOf } from '../../../shared/src/messages/types.ts';
import { clientTrusting, makeBank } from '../../../tools/tls/bank.ts';

const NOW = 1_700_000_000;
const level = Object.values(LEVEL_MODULES).find((m) => m.tls?.version === '1.3' && m.pki?.issuer === 'root')!;
const bank = makeBank(level.level, { rng: seededRng('resumption bank'), now: NOW });
const PAY: HttpMessage = { type: 'HttpRequest', method: 'POST', host: 'bank.example', path: '/transfer', body: 'pin=4821&to=Carol&amount=60' };

function policy(antiReplay: TicketPolicy['antiReplay']): TicketPolicy {
  return { key: new Uint8Array(16).fill(9), antiReplay, used: new Set(), maxEarlyDataSize: 16_384, issue: true };
}

interface Side {
  delivered: HttpMessage[];
  log: string[];
  checks: Output['checks'];
  failure?: Output['failure'];
}
const side = (): Side => ({ delivered: [], log: [], checks: [] });
const note = (s: Side, out: Output) => {
  s.delivered.push(...out.delivered);
  s.log.push(...out.log);
  s.checks.push(...out.checks);
  s.failure ??= out.failure;
};

/** The bank's side of one connection: feed it messages, collect what it answers. */
function bankConnection(config: ServerConfig, seed: string, nowMs = NOW * 1000) {
  let s: ServerConnection = level.server.initial(config);
  const ctx = { rng: seededRng(seed), gameTime: Math.floor(nowMs / 1000), gameTimeMs: nowMs };
  const seen = side();
  return {
    seen,
    get stage() {
      return s.stage;
    },
    receive(messages: Message[]): Message[] {
      const answers: Message[] = [];
      for (const message of messages) {
        const step = s.handle({ kind: 'receive', message }, ctx, config);
        s = step.next;
        note(seen, step.out);
        answers.push(...step.out.send);
      }
      return answers;
    },
  };
}

/** The engine's browser against one bank connection, until neither sends more; what the client sent first (its first flight) kept. */
function converse(clientConfig: ClientConfig, serverConfig: ServerConfig, seed: string, clock: { client: number; bank: number } = { client: NOW * 1000, bank: NOW * 1000 }) {
  const ctx = { rng: seededRng(`${seed} client`), gameTime: Math.floor(clock.client / 1000), gameTimeMs: clock.client };
  const start = level.client.start(ctx, clientConfig);
  let c = start.connection;
  const client = side();
  note(client, start.out);
  let ticket: SessionTicket | undefined;
  const server = bankConnection(serverConfig, `${seed} bank`, clock.bank);
  const firstFlight = start.out.send;
  let toServer = start.out.send;
  for (let i = 0; i < 10 && toServer.length > 0; i++) {
    const toClient = server.receive(toServer);
    toServer = [];
    for (const message of toClient) {
      const step = c.handle({ kind: 'receive', message }, ctx, clientConfig);
      c = step.next;
      note(client, step.out);
      ticket ??= step.out.sessionTicket;
      toServer.push(...step.out.send);
    }
  }
  return { client, server, firstFlight, ticket, clientStage: c.stage };
}

/** A first visit (a full handshake) to a bank that issues tickets: the ticket Alice keeps. */
function firstVisit(tickets: TicketPolicy): SessionTicket {
  const visit = converse(clientTrusting(bank.rootPem, 'bank.example'), { ...bank.server, tickets }, 'first visit');
  expect(visit.ticket!.receivedAtMs).toBe(NOW * 1000); // the ticket's age counts from here
  expect(visit.clientStage).toBe('traffic');
  expect(visit.server.seen.log).toContain('Sent a session ticket (NewSessionTicket): the client may resume with it later.');
  return visit.ticket!;
}

const comeBack = (ticket: SessionTicket): ClientConfig => ({ ...clientTrusting(bank.rootPem, 'bank.example'), resumption: { ticket, earlyData: encodeHttp(PAY) } });

describe('TLS 1.3 resumption and 0-RTT, engine against engine', () => {
  it('a ticket from a full handshake, then a resumed session whose early data the bank reads before the handshake ends', () => {
    const tickets = policy('singleUse');
    const ticket = firstVisit(tickets);
    expect(ticket.maxEarlyDataSize).toBe(16_384);
    const back = converse(comeBack(ticket), { ...bank.server, tickets }, 'come back');
    expect(back.clientStage).toBe('traffic');
    // The first flight: the ClientHello offering the ticket, and the early data record right behind it.
    const [hello, early] = back.firstFlight as [MessageOf<'ClientHello'>, MessageOf<'EncryptedRecord'>];
    expect(hello.extensions.map((e) => e.type).slice(-3)).toEqual(['psk_key_exchange_modes', 'early_data', 'pre_shared_key']);
    expect(hello.extensions.find((e) => e.type === 'psk_key_exchange_modes')).toEqual({ type: 'psk_key_exchange_modes', modes: [1] }); // psk_dhe_ke
    expect(hello.extensions.some((e) => e.type === 'key_share')).toBe(true);
    expect(pskOffer(hello)!.binders[0]).toEqual(binderFor(hello, ticket.psk));
    expect(early.type).toBe('EncryptedRecord');
    expect(back.server.seen.delivered).toEqual([PAY]);
    expect(back.server.seen.checks.map((c) => [c.check, c.passed])).toEqual([
      ['pskBinder', true],
      ['earlyDataReplay', true],
      ['record', true],
      ['handshakeRecord', true],
      ['finished', true],
    ]);
    // No certificate on a resumed session: the ticket's secret vouches for the bank.
    expect(back.client.log).toContain('EncryptedExtensions: the bank read our early data (early_data).');
    expect(back.client.checks.map((c) => c.check)).not.toContain('certificateVerify');
  });

  it('the same first flight again: a bank that lets tickets be used twice reads (and pays) twice; a single-use bank refuses the copy', () => {
    for (const antiReplay of ['none', 'singleUse'] as const) {
      const tickets = policy(antiReplay);
      const back = converse(comeBack(firstVisit(tickets)), { ...bank.server, tickets }, `replay ${antiReplay}`);
      expect(back.server.seen.delivered).toEqual([PAY]);
      const copy = bankConnection({ ...bank.server, tickets }, `copy ${antiReplay}`);
      const answers = copy.receive(back.firstFlight);
      if (antiReplay === 'none') {
        expect(copy.seen.delivered).toEqual([PAY]); // read again, from a connection whose handshake Mallory can never finish
        expect(answers.map((m) => m.type)).toEqual(['ServerHello', 'EncryptedRecord', 'EncryptedRecord']); // EncryptedExtensions, Finished: no certificate
      } else {
        expect(copy.seen.delivered).toEqual([]);
        expect(copy.seen.checks.find((c) => c.check === 'earlyDataReplay')).toMatchObject({ passed: false });
        expect(copy.seen.log).toContain('This ticket was already used: single-use tickets (RFC 8446 §8.1), so not taken again — a full handshake, and the early data that came with it is skipped unread.');
        expect(copy.seen.log).toContain('Skipped a 0-RTT early data record unread: we did not take the ticket it came with.');
        expect(answers.length).toBe(5); // ServerHello, EncryptedExtensions, Certificate, CertificateVerify, Finished
      }
      expect(copy.stage).toBe('handshaking'); // she holds no key to finish it
    }
  });

  it('a refused ticket: the browser does the full handshake and sends its request again inside the session', () => {
    const tickets = policy('singleUse');
    const ticket = firstVisit(tickets);
    converse(comeBack(ticket), { ...bank.server, tickets }, 'use once');
    const again = converse(comeBack(ticket), { ...bank.server, tickets }, 'use twice');
    expect(again.clientStage).toBe('traffic');
    expect(again.client.log).toContain('ServerHello without our ticket: the bank wants a full handshake (its certificate and all); our early data was not read.');
    expect(again.server.seen.delivered).toEqual([PAY]); // once, inside the session
  });

  it('a changed ClientHello breaks the binder: decrypt_error', () => {
    const tickets = policy('none');
    const back = converse(comeBack(firstVisit(tickets)), { ...bank.server, tickets }, 'binder');
    const hello = back.firstFlight[0] as MessageOf<'ClientHello'>;
    const changed: MessageOf<'ClientHello'> = { ...hello, random: new Uint8Array(32).fill(1) };
    const copy = bankConnection({ ...bank.server, tickets }, 'binder copy');
    copy.receive([changed]);
    expect(copy.seen.failure).toEqual({ reason: 'badBinder', detail: 'the HMAC over the ClientHello does not match the ticket’s secret: the hello was changed, or the sender does not hold the ticket’s secret' });
  });

  it('the NewSessionTicket body reads back: lifetime, age_add, nonce, ticket, early_data', () => {
    const tickets = policy('none');
    const visit = converse(clientTrusting(bank.rootPem, 'bank.example'), { ...bank.server, tickets }, 'body');
    expect(visit.ticket!.lifetime).toBe(7 * 86_400);
    expect(() => decodeTicketBody(new Uint8Array([0, 0, 0, 1]))).toThrow();
  });
});

/**
 * The ticket's age (§4.2.11.1) and the bank's freshness check (§8.3): the browser says how old the
 * ticket is, in ms since its NewSessionTicket arrived, plus the ticket's age_add, modulo 2^32; the
 * bank that issued it knows when it should arrive, and reads early data only within its window.
 */
describe('TLS 1.3 ticket age and freshness (RFC 8446 §4.2.11.1, §8.3)', () => {
  const WINDOW = 10_000;
  const fresh = (antiReplay: TicketPolicy['antiReplay']): TicketPolicy => ({ ...policy(antiReplay), freshnessWindowMs: WINDOW });
  const later = (ms: number, hop = 100) => ({ client: NOW * 1000 + ms, bank: NOW * 1000 + ms + hop });
  const ageOnWire = (hello: Message) => pskOffer(hello as MessageOf<'ClientHello'>)!.identities[0]!.obfuscatedTicketAge;

  it('obfuscated_ticket_age is the age in ms plus age_add, modulo 2^32, and reads back across the wrap', () => {
    expect(obfuscateTicketAge(90_000, 0x1000)).toBe(90_000 + 0x1000);
    expect(obfuscateTicketAge(5_000, 2 ** 32 - 1_000)).toBe(4_000);
    expect(clientsTicketAge(4_000, 2 ** 32 - 1_000)).toBe(5_000);
    const state = { psk: new Uint8Array(32), issuedAtMs: 1_000_000, ageAdd: 2 ** 32 - 1_000, maxEarlyDataSize: 16_384 };
    expect(freshness(state, 4_000, 1_005_000 + WINDOW, WINDOW)).toMatchObject({ clientsTicketAge: 5_000, expectedArrival: 1_005_000, offBy: WINDOW, fresh: true });
    expect(freshness(state, 4_000, 1_005_000 + WINDOW + 1, WINDOW).fresh).toBe(false);
    expect(freshness(state, 4_000, 1_005_000 - WINDOW - 1, WINDOW).fresh).toBe(false); // early: a clock ahead, or an age made up
  });

  it('Alice comes back 90 s later: her hello says 90 000 ms (plus age_add); the bank expects it when it arrives, and reads the early data', () => {
    const tickets = fresh('singleUse');
    const ticket = firstVisit(tickets);
    const back = converse(comeBack(ticket), { ...bank.server, tickets }, 'ninety seconds', later(90_000));
    expect(ageOnWire(back.firstFlight[0]!)).toBe((90_000 + ticket.ageAdd) % 2 ** 32);
    expect(back.client.log).toContain(`The ticket's age, 90000 ms since its NewSessionTicket arrived, goes in obfuscated_ticket_age plus the ticket's ticket_age_add, modulo 2^32: ${(90_000 + ticket.ageAdd) % 2 ** 32} (RFC 8446 §4.2.11.1). The binder covers it: nobody can change it on the way.`);
    expect(back.server.seen.checks.find((c) => c.check === 'ticketFreshness')).toEqual({
      check: 'ticketFreshness',
      passed: true,
      detail: "the ticket's age in the hello (90000 ms) puts its arrival 0.1 s later than it came: within 10 s, so fresh — but a copy sent at once is fresh too",
    });
    expect(back.server.seen.delivered).toEqual([PAY]);
  });

  it('a copy of the first flight at a bank that lets tickets be used twice: read again 5 s later (fresh), skipped 30 s later (the ticket taken, no 0-RTT)', () => {
    const tickets = fresh('none');
    const back = converse(comeBack(firstVisit(tickets)), { ...bank.server, tickets }, 'copies', later(60_000));
    expect(back.server.seen.delivered).toEqual([PAY]);
    const soon = bankConnection({ ...bank.server, tickets }, 'copy soon', NOW * 1000 + 65_100);
    soon.receive(back.firstFlight);
    expect(soon.seen.delivered).toEqual([PAY]); // freshness does not stop a copy sent at once
    expect(soon.seen.checks.find((c) => c.check === 'ticketFreshness')?.passed).toBe(true);
    const late = bankConnection({ ...bank.server, tickets }, 'copy late', NOW * 1000 + 90_100);
    const answers = late.receive(back.firstFlight);
    expect(late.seen.delivered).toEqual([]);
    expect(late.seen.checks.find((c) => c.check === 'ticketFreshness')).toEqual({
      check: 'ticketFreshness',
      passed: false,
      detail: "the ticket's age in the hello (60000 ms) says it should have arrived 30.1 s earlier: outside 10 s, an old hello (a delayed copy, or a wrong clock). Its early data is not read",
    });
    expect(late.seen.log).toContain("The hello arrived 30.1 s later than its ticket's age says (RFC 8446 §8.3: more than 10 s off): the ticket is taken, its 0-RTT early data skipped unread, and the handshake goes on in 1-RTT.");
    expect(answers.map((m) => m.type)).toEqual(['ServerHello', 'EncryptedRecord', 'EncryptedRecord']); // resumed (no certificate), EncryptedExtensions without early_data
    expect((answers[0] as MessageOf<'ServerHello'>).extensions.some((e) => e.type === 'pre_shared_key')).toBe(true);
  });

  it('a browser whose clock is off: the bank refuses its 0-RTT, not its session; the request goes again inside the session, once', () => {
    const tickets = fresh('singleUse');
    const back = converse(comeBack(firstVisit(tickets)), { ...bank.server, tickets }, 'clock off', { client: NOW * 1000 + 60_000, bank: NOW * 1000 + 80_000 });
    expect(back.clientStage).toBe('traffic');
    expect(back.client.log).toContain('EncryptedExtensions: the bank did not read our early data; we send it again once the handshake is over.');
    expect(back.server.seen.checks.find((c) => c.check === 'ticketFreshness')?.passed).toBe(false);
    expect(back.server.seen.delivered).toEqual([PAY]);
  });

  it('a ticket past its lifetime (7 days) is not offered: a full handshake', () => {
    const tickets = fresh('singleUse');
    const back = converse(comeBack(firstVisit(tickets)), { ...bank.server, tickets }, 'expired ticket', later(8 * 86_400_000));
    expect(pskOffer(back.firstFlight[0] as MessageOf<'ClientHello'>)).toBeUndefined();
    expect(back.client.log).toContain('Our session ticket is 691200 s old, past its lifetime (604800 s): not offered — a full handshake.');
  });
});
