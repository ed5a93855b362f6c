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
import { binderFor, decodeTicketBody, pskOffer, type SessionTicket, type TicketPolicy } from '../../../shared/src/handshake/tls13-tickets.ts';
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
function bankConnection(config: ServerConfig, seed: string) {
  let s: ServerConnection = level.server.initial(config);
  const ctx = { rng: seededRng(seed), gameTime: NOW };
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
function converse(clientConfig: ClientConfig, serverConfig: ServerConfig, seed: string) {
  const ctx = { rng: seededRng(`${seed} client`), gameTime: NOW };
  const start = level.client.start(ctx, clientConfig);
  let c = start.connection;
  const client = side();
  note(client, start.out);
  let ticket: SessionTicket | undefined;
  const server = bankConnection(serverConfig, `${seed} bank`);
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
