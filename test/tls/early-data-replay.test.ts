/**
 * Resumption and 0-RTT early data (RFC 8446 §2.2-2.3, §4.2.10-4.2.11, §8) with OpenSSL on the
 * other end, both ways:
 * - the engine's bank against `openssl s_client -sess_out`, then `-sess_in -early_data`: OpenSSL
 *   resumes with the bank's ticket, its early data is read; the same ticket again is refused by a
 *   single-use bank ("Early data was rejected") and read again by a bank that allows replays;
 * - the engine's browser against `openssl s_server -early_data`: it keeps OpenSSL's ticket, comes
 *   back with its request as early data, which OpenSSL reads; the same first flight's bytes sent
 *   again are refused by OpenSSL's anti-replay (its default), and read again with `-no_anti_replay`;
 * - the ticket's age (RFC 8446 §4.2.11.1, §8.3), each side reading the other's obfuscated_ticket_age
 *   on the real clock: the engine's bank takes s_client's early data, but not with its clock 60 s
 *   ahead; s_server (which checks the age within 10 s) takes the engine browser's, but not when it
 *   says its ticket is 60 s older than it is.
 * And tshark (Wireshark's dissector) reads the teacher's capture of a round in which Mallory replayed
 * Alice's first flight to a careless bank: both ClientHellos offer the ticket (pre_shared_key with a
 * 33-byte binder list, psk_dhe_ke, early_data, pre_shared_key last), and the capture's key log
 * (CLIENT_EARLY_TRAFFIC_SECRET) opens the early data on both connections — Alice's, and the copy from
 * Mallory's own address: the same "pay 60 to Carol" twice.
 * Skipped, saying so, without `openssl` or `tshark`.
 */
import net from 'node:net';
import tls from 'node:tls';
import { spawnSync } from 'node:child_process';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import { teacherCapture } from '../../shared/src/capture/round-capture.ts';
import { ADDRESSES } from '../../shared/src/round/world.ts';
import { describe, expect, it } from 'vitest';
import { utf8 } from '../../shared/src/codec/bytes.ts';
import { LEVEL_MODULES } from '../../shared/src/levels/index.ts';
import { FRESHNESS_WINDOW_MS, type SessionTicket, type TicketPolicy } from '../../shared/src/handshake/tls13-tickets.ts';
import type { ClientConfig, HandshakeContext, Output } from '../../shared/src/handshake/types.ts';
import { clientTrusting, tlsWire } from '../../tools/tls/bank.ts';
import { clientEndpoint } from '../../tools/tls/endpoint.ts';
import { engineServer } from '../../tools/tls/serve.ts';
import { hasOpenssl, openssl, pemDir, sServer, sServerCertificate } from './openssl.ts';
import { bankFor, context, NAME, NOW } from './support.ts';

const hasTshark = spawnSync('tshark', ['--version'], { stdio: 'ignore' }).status === 0;
if (!hasTshark) console.warn('tshark is not installed: skipping the early-data capture test (apt-get install tshark)');

describe.skipIf(!hasTshark)('early data, replayed: the teacher’s capture read by Wireshark (skipped when tshark is missing)', () => {
  it('both ClientHellos offer the ticket with early data; the key log opens the early data on Alice’s connection and on the copy from Mallory’s address', () => {
    const files = pemDir();
    try {
      const { round } = simulateRound(LEVEL, { client: 'careful', server: 'careless', ca: 'strict', attacker: 'replay' }, 'tls/early data', { event: 'earlyDataReplay', gameClock: NOW });
      expect(round.result?.outcome).toBe('tampered');
      const capture = files.file('early-data.pcapng', teacherCapture(round));
      const tshark = (filter: string, fields: string[]) =>
        spawnSync('tshark', ['-r', capture, '-Y', filter, '-T', 'fields', ...fields.flatMap((f) => ['-e', f])], { encoding: 'utf8', env: { ...process.env, HOME: files.dir, XDG_CONFIG_HOME: files.dir } }).stdout.split('\n').filter((l) => l !== '');
      const hello = ['tcp.stream', 'tls.extension.psk_ke_mode', 'tls.handshake.extensions.psk.binders_len', 'tls.handshake.extension.type'];
      // 45 psk_key_exchange_modes, 42 early_data, 41 pre_shared_key (last).
      expect(tshark('tls.handshake.type == 1', hello)).toEqual(['0\t1\t33\t0,10,13,43,51,45,42,41', '1\t1\t33\t0,10,13,43,51,45,42,41']);
      const alice = ADDRESSES.client.split(' ')[0];
      const mallory = ADDRESSES.attacker.split(' ')[0];
      const pin = round.client.secret;
      expect(tshark('http.request', ['tcp.stream', 'ip.src', 'http.request.method', 'http.request.uri', 'urlencoded-form.value'])).toEqual([`0\t${alice}\tPOST\t/transfer\t${pin},Carol,60`, `1\t${mallory}\tPOST\t/transfer\t${pin},Carol,60`]);
      expect(tshark('tls.handshake.type == 5', ['tcp.stream'])).toEqual(['0']); // EndOfEarlyData: only Alice's connection gets that far
    } finally {
      files.cleanup();
    }
  });
});

const LEVEL = 5 as const;

function listen(server: net.Server): Promise<number> {
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve((server.address() as net.AddressInfo).port)));
}

const policy = (antiReplay: TicketPolicy['antiReplay']): TicketPolicy => ({ key: new Uint8Array(16).fill(5), antiReplay, used: new Set(), maxEarlyDataSize: 16_384, issue: true, freshnessWindowMs: FRESHNESS_WINDOW_MS });

/**
 * A context on the real clock in ms (a ticket's age is real time to OpenSSL), `shiftMs` ahead; read
 * at each step, so a ticket's arrival is stamped when it arrives.
 */
const onTheClock = (seed: string, shiftMs = 0): HandshakeContext => {
  const ctx = context(seed);
  return {
    rng: ctx.rng,
    gameTime: ctx.gameTime,
    get gameTimeMs() {
      return Date.now() + shiftMs;
    },
  };
};

/**
 * One visit of the engine's browser to `port`, its application reading bytes, on the real clock:
 * a first visit ends once a ticket arrives; one that resumes, shortly after the handshake is over.
 */
function browserVisit(port: number, config: ClientConfig, seed: string, resumption?: { ticket: SessionTicket; earlyData: Uint8Array }) {
  return new Promise<{ ticket?: SessionTicket; firstFlight: Uint8Array; log: string[] }>((resolve) => {
    const ctx = onTheClock(seed);
    const withTicket = resumption ? { ...config, applicationData: 'bytes' as const, resumption } : { ...config, applicationData: 'bytes' as const };
    const start = LEVEL_MODULES[LEVEL].client.start(ctx, withTicket);
    const socket = net.connect({ host: '127.0.0.1', port, noDelay: true });
    const writes: Uint8Array[] = [];
    const log: string[] = [];
    let ticket: SessionTicket | undefined;
    let finished = false;
    // Ended, not destroyed: a socket closed with bytes still unread resets the connection, and
    // s_server then reports a reset instead of the end of file the test counts connections by.
    const done = () => {
      finished = true;
      socket.end();
      resolve({ ...(ticket ? { ticket } : {}), firstFlight: writes[0]!, log });
    };
    const endpoint = clientEndpoint(start.connection, ctx, withTicket, {
      write: (bytes) => {
        writes.push(bytes);
        socket.write(bytes);
      },
      output: (out: Output) => {
        log.push(...out.log);
        if (out.sessionTicket && !ticket) {
          ticket = out.sessionTicket;
          if (!resumption) done();
        }
        if (resumption && endpoint.stage === 'traffic') setTimeout(done, 200);
      },
    }, tlsWire(LEVEL));
    socket.on('connect', () => endpoint.begin(start.out));
    socket.on('data', (chunk: Buffer) => {
      if (!finished) endpoint.receive(new Uint8Array(chunk));
    });
    socket.on('error', () => done());
  });
}

/** The bank's NewSessionTicket as `s_client -msg` reports it (what it prints of the session comes only as it exits). */
const TICKET = /<<< TLS 1\.3, Handshake \[length [0-9a-f]+\], NewSessionTicket/;

/** `openssl s_client` once: `extra` adds -sess_out/-sess_in/-early_data; once `until` shows, its input ends; resolves with all it printed. */
async function sClient(port: number, caFile: string, extra: string[], until: RegExp): Promise<string> {
  const client = openssl(['s_client', '-connect', `127.0.0.1:${port}`, '-servername', NAME, '-CAfile', caFile, '-verify_return_error', '-tls1_3', '-msg', ...extra]);
  await Promise.race([client.waitFor(until).catch(() => undefined), client.exited]);
  client.child.stdin.end();
  await client.exited;
  return client.output();
}

describe('resumption with node:tls, level 5', () => {
  it('node:tls keeps the engine bank’s ticket and resumes with it (isSessionReused); node has no 0-RTT, so no early data', async () => {
    const bank = bankFor(LEVEL, 'node resumption');
    const server = engineServer({ ...bank, server: { ...bank.server, tickets: policy('singleUse') } }, { context: () => context('node resumption bank') });
    const port = await listen(server);
    const visit = (session?: Buffer) =>
      new Promise<{ reused: boolean; session?: Buffer; page: string }>((resolve, reject) => {
        let page = '';
        let ticket: Buffer | undefined;
        let reused = false;
        const socket = tls.connect({ host: '127.0.0.1', port, servername: NAME, ca: bank.rootPem, minVersion: 'TLSv1.3', ...(session ? { session } : {}) });
        socket.on('session', (s: Buffer) => (ticket ??= s));
        socket.on('secureConnect', () => {
          reused = socket.isSessionReused();
          socket.write(`GET / HTTP/1.1\r\nHost: ${NAME}\r\nConnection: close\r\n\r\n`);
        });
        socket.on('data', (d: Buffer) => (page += d.toString('utf8')));
        socket.on('error', reject);
        socket.on('close', () => resolve({ reused, ...(ticket ? { session: ticket } : {}), page }));
      });
    try {
      const first = await visit();
      expect(first.reused).toBe(false);
      expect(first.session).toBeDefined();
      const again = await visit(first.session);
      expect(again.reused).toBe(true);
      expect(again.page).toContain('Heist Bank: bank.example');
      // Single-use: the same ticket a second time is not taken (a full handshake, which still works).
      const third = await visit(first.session);
      expect(third.reused).toBe(false);
      expect(third.page).toContain('Heist Bank: bank.example');
    } finally {
      server.close();
    }
  });
});

describe.skipIf(!hasOpenssl)('0-RTT early data with OpenSSL, level 5 (skipped without openssl)', () => {
  it("the engine's bank: s_client resumes with its ticket and sends early data; the same ticket again is refused by a single-use bank, read again by one without anti-replay", async () => {
    for (const antiReplay of ['singleUse', 'none'] as const) {
      const bank = bankFor(LEVEL, `early data bank ${antiReplay}`);
      const requests: string[] = [];
      const server = engineServer({ ...bank, server: { ...bank.server, tickets: policy(antiReplay) } }, {
        context: () => onTheClock(`early bank ${antiReplay}`),
        closed: (c) => requests.push(...c.requests.map((r) => (r.type === 'HttpRequest' ? `${r.method} ${r.path}` : ''))),
      });
      const port = await listen(server);
      const files = pemDir();
      const ca = files.file('root.pem', bank.rootPem);
      const session = files.dir + '/session.pem';
      const early = files.file('early.txt', `GET / HTTP/1.1\r\nHost: ${NAME}\r\n\r\n`);
      try {
        const first = await sClient(port, ca, ['-sess_out', session], TICKET);
        expect(first).toMatch(/New, TLSv1\.3, Cipher is TLS_AES_128_GCM_SHA256/);
        const resumed = await sClient(port, ca, ['-sess_in', session, '-early_data', early], /Heist Bank: bank\.example/);
        expect(resumed).toMatch(/Reused, TLSv1\.3/);
        expect(resumed).toMatch(/Early data was accepted/);
        const again = await sClient(port, ca, ['-sess_in', session, '-early_data', early], antiReplay === 'none' ? /Heist Bank: bank\.example/ : TICKET);
        if (antiReplay === 'singleUse') {
          expect(again).toMatch(/Early data was rejected/);
          expect(again).toMatch(/New, TLSv1\.3/); // a full handshake: the ticket was not taken twice
        } else {
          expect(again).toMatch(/Reused, TLSv1\.3/);
          expect(again).toMatch(/Early data was accepted/);
        }
        await new Promise((r) => setTimeout(r, 100)); // the bank's side of the last connection closing
        expect(requests).toEqual(antiReplay === 'none' ? ['GET /', 'GET /'] : ['GET /']);
      } finally {
        files.cleanup();
        server.close();
      }
    }
  });

  it("the ticket's age, read by the other side: the engine's bank reads s_client's and takes its early data, but not on a clock 60 s ahead; s_server reads the engine browser's, but not one 60 s too old", async () => {
    // The engine's bank, its clock shifted for the last visit: s_client's hello then comes 60 s later than its ticket's age says.
    const bank = bankFor(LEVEL, 'early data bank clock');
    let shiftMs = 0;
    const server = engineServer({ ...bank, server: { ...bank.server, tickets: policy('none') } }, { context: () => onTheClock('early bank clock', shiftMs) });
    const port = await listen(server);
    const files = pemDir();
    const ca = files.file('root.pem', bank.rootPem);
    const session = files.dir + '/session.pem';
    const early = files.file('early.txt', `GET / HTTP/1.1\r\nHost: ${NAME}\r\n\r\n`);
    try {
      await sClient(port, ca, ['-sess_out', session], TICKET);
      const onTime = await sClient(port, ca, ['-sess_in', session, '-early_data', early], /Heist Bank: bank\.example/);
      expect(onTime).toMatch(/Early data was accepted/); // the bank read OpenSSL's obfuscated_ticket_age, minus age_add, as a fresh age
      shiftMs = 60_000;
      const late = await sClient(port, ca, ['-sess_in', session, '-early_data', early], /Early data was rejected/);
      expect(late).toMatch(/Reused, TLSv1\.3/); // the ticket taken: only the 0-RTT refused (RFC 8446 §4.2.10)
      expect(late).toMatch(/Early data was rejected/);
    } finally {
      files.cleanup();
      server.close();
    }
    // s_server: a ticket whose age the engine's browser tells honestly, then one it says is 60 s older than it is.
    const other = bankFor(LEVEL, 'early data browser age');
    const sFiles = pemDir();
    const sServerProcess = await sServer([...sServerCertificate(sFiles, 's-bank-age', other), '-early_data', '-tls1_3', '-no_anti_replay']);
    const config = clientTrusting(other.rootPem, NAME);
    const order = utf8('POST /transfer pay 60 to Carol\n');
    try {
      const first = await browserVisit(sServerProcess.port, config, 'age first');
      const honest = await browserVisit(sServerProcess.port, config, 'age honest', { ticket: first.ticket!, earlyData: order });
      expect(honest.log).toContain('EncryptedExtensions: the bank read our early data (early_data).');
      const aged = await browserVisit(sServerProcess.port, config, 'age 60 s off', { ticket: { ...first.ticket!, receivedAtMs: first.ticket!.receivedAtMs - 60_000 }, earlyData: order });
      expect(aged.log).toContain('EncryptedExtensions: the bank did not read our early data; we send it again once the handshake is over.');
      await sServerProcess.waitFor(/pay 60 to Carol[\s\S]*pay 60 to Carol/); // the second time inside the session
      expect(sServerProcess.output().match(/Early data received:/g)?.length).toBe(1);
    } finally {
      await sServerProcess.stop();
      sFiles.cleanup();
    }
  });

  it("the engine's browser: keeps s_server's ticket, resumes with its request as early data; the first flight's bytes again are refused by OpenSSL's anti-replay, read again with -no_anti_replay", async () => {
    for (const antiReplay of [true, false]) {
      const bank = bankFor(LEVEL, `early data browser ${antiReplay}`);
      const files = pemDir();
      const server = await sServer([...sServerCertificate(files, 's-bank', bank), '-early_data', '-tls1_3', ...(antiReplay ? [] : ['-no_anti_replay'])]);
      // s_server ends when its input does: keep it open.
      const config = clientTrusting(bank.rootPem, NAME);
      const connect = (resumption?: { ticket: SessionTicket; earlyData: Uint8Array }) => browserVisit(server.port, config, `early browser ${antiReplay}`, resumption);
      try {
        const first = await connect();
        expect(first.ticket?.maxEarlyDataSize).toBe(16_384);
        const order = 'POST /transfer pay 60 to Carol\n';
        const back = await connect({ ticket: first.ticket!, earlyData: utf8(order) });
        expect(back.log).toContain('EncryptedExtensions: the bank read our early data (early_data).');
        // s_server says what it read of each connection (the early data itself on stdout, out of order with its label);
        // each of ours ends with our socket closed under it, which it reports as an error ("unexpected eof while reading").
        const ended = (n: number) => new RegExp(Array.from({ length: n }, () => 'unexpected eof').join('[\\s\\S]*'));
        await server.waitFor(ended(2));
        await server.waitFor(/pay 60 to Carol/);
        // Mallory's replay: the same bytes (ClientHello and early data record), on a connection of her own. s_server answers
        // (its ServerHello) once it has decided on the ticket and its early data.
        const replay = net.connect({ host: '127.0.0.1', port: server.port }, () => replay.write(back.firstFlight));
        await new Promise((r) => replay.once('data', r));
        if (antiReplay) await new Promise((r) => setTimeout(r, 200));
        else await server.waitFor(/pay 60 to Carol[\s\S]*pay 60 to Carol/);
        replay.end();
        replay.resume();
        await server.waitFor(ended(3));
        const out = server.output();
        expect(out.match(/Early data received:/g)?.length).toBe(antiReplay ? 1 : 2);
        expect(out.match(/POST \/transfer pay 60 to Carol/g)?.length).toBe(antiReplay ? 1 : 2);
      } finally {
        await server.stop();
        files.cleanup();
      }
    }
  });
});
