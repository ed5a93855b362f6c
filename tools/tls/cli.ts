/**
 * `npm run tls -- serve|connect …`: the game's bank and browser engines on real TCP, for a
 * teacher who wants to show the game's TLS in Wireshark or against OpenSSL, and for testing
 * the engine against other implementations.
 *
 *   serve   --level 4|4e|5|6 --port P --dir D [--name bank.example] [--host 127.0.0.1] [--also-tls12] [--hsts] [--ocsp good|revoked]
 *           writes D/root.pem (the CA), D/bank.pem (the chain the bank sends), where an
 *           intermediate CA signs (level 6) D/intermediate.pem, D/keylog.txt (NSS key log,
 *           appended per connection), and answers GET / with a small page; --also-tls12 (a TLS
 *           1.3 level: 5) also speaks level 4e's TLS 1.2, as at the downgrade event, ending a
 *           1.2 ServerHello's random with RFC 8446 §4.1.3's downgrade sentinel; --hsts (any
 *           level) sends the first-visit event's Strict-Transport-Security header (RFC 6797);
 *           --ocsp good|revoked (any level) staples the CA's OCSP answer on the bank's certificate
 *           (RFC 6960), as at the leaked-key event, for a client that asks (status_request): TLS
 *           1.2's CertificateStatus message, TLS 1.3's certificate entry
 *   connect --level 4|4e|5|6 --host H --port P --name N --ca root.pem [--keylog F]
 *           trusts the CA certificates in root.pem (one, or a bundle such as the system's), runs
 *           every check the game's browser runs, prints the chain it validated, the checks and the
 *           response; exits 1
 *           naming the failed check and the alert (sent or received), 2 for a usage error
 *
 * Randomness comes from the operating system and time from the wall clock (the game's rules
 * take both as inputs); the crypto is node:crypto's (CRYPTO_BACKEND=noble for the engine's own).
 */
import fs from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { useCryptoBackend } from '../../shared/src/crypto/primitives.ts';
import { explainFailure } from '../../shared/src/handshake/failures.ts';
import { cryptoBackendNamed } from '../../server/src/crypto/select.ts';
import { CHECK_TITLES } from '../../shared/src/round/check-titles.ts';
import { levelLabel } from '../../shared/src/levels/texts/index.ts';
import { DEFAULT_NAME, freshRsaKey, makeBank, TLS_LABELS, tlsLevelByLabel, tlsOf, trustingFile, type TlsLevel } from './bank.ts';
import { describePath, engineConnect, type ConnectResult } from './connect.ts';
import { BANK_STS_HEADER } from '../../shared/src/handshake/hsts.ts';
import { signOcspResponse } from '../../shared/src/pki/ocsp.ts';
import { bankSpeaks, engineServer } from './serve.ts';
import { systemRng } from './system-rng.ts';
import { printable } from './terminal.ts';

export interface Io {
  out(line: string): void;
  err(line: string): void;
}

class UsageError extends Error {}

const USAGE = `usage:
  npm run tls -- serve   --level ${TLS_LABELS.join('|')} --port P --dir D [--name ${DEFAULT_NAME}] [--host 127.0.0.1] [--also-tls12] [--hsts] [--ocsp good|revoked]
  npm run tls -- connect --level ${TLS_LABELS.join('|')} --host H --port P --name N --ca root.pem|bundle.pem [--keylog F]`;

const now = () => Math.floor(Date.now() / 1000);

/** A level as players name it ("4e"), never the game's internal id. */
function level(value: string | undefined): TlsLevel {
  const lv = value === undefined ? undefined : tlsLevelByLabel(value);
  if (lv === undefined) throw new UsageError(`--level must be one of ${TLS_LABELS.join(', ')}, got ${value ?? 'nothing'}`);
  return lv;
}

function port(value: string | undefined, allowZero: boolean): number {
  const n = Number(value);
  if (value === undefined || !Number.isInteger(n) || n < (allowZero ? 0 : 1) || n > 65535) throw new UsageError(`--port must be a TCP port, got ${value ?? 'nothing'}`);
  return n;
}

function required(name: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new UsageError(`--${name} is required`);
  return value;
}

/** What the browser found: the chain it validated, one line per check, then the answer or the failure. Returns the exit code. */
export function report(result: ConnectResult, io: Io): number {
  if (result.path) for (const line of describePath(result.path)) io.out(printable(line));
  for (const c of result.checks) io.out(`${c.passed ? 'pass' : 'FAIL'}  ${CHECK_TITLES[c.check]}: ${printable(c.detail)}`);
  if (result.response?.type === 'HttpResponse') {
    io.out(`\nHTTP ${result.response.status}\n${result.response.body}`);
    return result.response.status < 400 ? 0 : 1;
  }
  if (result.httpError) {
    io.err(`failed: the answer is not HTTP the browser can read (${result.httpError}); the TLS session itself was sound, and closed with close_notify`);
    return 1;
  }
  if (result.failure?.reason === 'peerAlert') {
    io.err(`failed: the server sent alert ${result.failure.description}`);
  } else if (result.failure) {
    io.err(`failed: ${printable(explainFailure(result.failure))} (sent alert ${result.alertSent})`);
  } else {
    io.err(`failed: the server closed the connection without an answer or an alert${result.log.at(-1)?.startsWith('no answer') ? ` (${result.log.at(-1)})` : ''}`);
  }
  return 1;
}

export async function connect(argv: string[], io: Io): Promise<number> {
  const { values } = parseArgs({ args: argv, options: { level: { type: 'string' }, host: { type: 'string' }, port: { type: 'string' }, name: { type: 'string' }, ca: { type: 'string' }, keylog: { type: 'string' } } });
  const lv = level(values.level);
  const host = required('host', values.host);
  const p = port(values.port, false);
  const name = required('name', values.name);
  const caFile = required('ca', values.ca);
  let trusting;
  try {
    trusting = trustingFile(fs.readFileSync(caFile, 'utf8'), name);
  } catch (e) {
    throw new UsageError(`--ca ${caFile}: not a certificate the game's browser can trust (${e instanceof Error ? e.message : String(e)})`);
  }
  const { config, store } = trusting;
  if (store.anchors.length > 1 || store.skipped.length > 0) io.out(`trusting ${store.anchors.length} CA${store.anchors.length === 1 ? '' : 's'} from ${caFile}`);
  for (const s of store.skipped) io.out(`  skipped ${s.name}: ${s.why}`);
  const result = await engineConnect({ level: lv, host, port: p, config, ctx: { rng: systemRng, gameTime: now() } });
  if (values.keylog && result.keyLog.length > 0) fs.appendFileSync(values.keylog, result.keyLog.map((l) => `${l}\n`).join(''));
  return report(result, io);
}

export interface Serving {
  port: number;
  close(): Promise<void>;
}

export async function serve(argv: string[], io: Io): Promise<Serving> {
  const { values } = parseArgs({ args: argv, options: { level: { type: 'string' }, port: { type: 'string' }, dir: { type: 'string' }, name: { type: 'string' }, host: { type: 'string' }, 'also-tls12': { type: 'boolean' }, hsts: { type: 'boolean' }, ocsp: { type: 'string' } } });
  const lv = level(values.level);
  const p = port(values.port, true);
  const dir = required('dir', values.dir);
  const name = values.name ?? DEFAULT_NAME;
  const alsoTls12 = values['also-tls12'] === true;
  if (alsoTls12 && tlsOf(lv).tls.version !== '1.3') throw new UsageError(`--also-tls12 needs a level that speaks TLS 1.3 (level 5), not level ${levelLabel(lv)}`);
  const ocsp = values.ocsp;
  if (ocsp !== undefined && ocsp !== 'good' && ocsp !== 'revoked') throw new UsageError(`--ocsp takes good or revoked, not ${printable(ocsp)}`);
  fs.mkdirSync(dir, { recursive: true });
  const made = makeBank(lv, { rng: systemRng, now: now(), serverName: name, ...(lv === 4 ? { rsa: freshRsaKey() } : {}) });
  // The downgrade event's bank: TLS 1.2 beside 1.3 (handshake/downgrade.ts).
  // The first-visit event's bank (--hsts): Strict-Transport-Security on its answers (handshake/hsts.ts).
  // The leaked-key event's bank (--ocsp): the CA's answer on its certificate, stapled (pki/ocsp.ts; revoked: key compromise, an hour ago).
  const staple = ocsp ? { ocspStaple: signOcspResponse(made.certificate, made.issuer, ocsp === 'good' ? { kind: 'good' } : { kind: 'revoked', at: now() - 3600 }, now()) } : {};
  const bank = { ...made, server: { ...made.server, ...(alsoTls12 ? { alsoTls12 } : {}), ...(values.hsts === true ? { stsHeader: BANK_STS_HEADER } : {}), ...staple } };
  fs.writeFileSync(path.join(dir, 'root.pem'), bank.rootPem);
  fs.writeFileSync(path.join(dir, 'bank.pem'), bank.certificatePem);
  const written = [path.join(dir, 'root.pem'), path.join(dir, 'bank.pem')];
  if (bank.chainPem !== '') {
    fs.writeFileSync(path.join(dir, 'intermediate.pem'), bank.chainPem);
    written.push(path.join(dir, 'intermediate.pem'));
  }
  const keyLogFile = path.join(dir, 'keylog.txt');
  fs.writeFileSync(keyLogFile, '');
  const server = engineServer(bank, {
    context: () => ({ rng: systemRng, gameTime: now() }),
    keyLog: (lines) => fs.appendFileSync(keyLogFile, lines.map((l) => `${l}\n`).join('')),
    closed: (c) => {
      // close_notify is how a peer says goodbye (RFC 8446 §6.1), not a failure.
      const failed = c.failure && c.failure.reason !== 'closed' && !(c.failure.reason === 'peerAlert' && c.failure.description === 'close_notify');
      // The failure may quote what the peer sent (its SNI): printed with its control characters escaped.
      io.out(failed ? `connection failed: ${printable(explainFailure(c.failure!))}` : `connection closed (${c.requests.length} request${c.requests.length === 1 ? '' : 's'})`);
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    // This machine only, unless --host says otherwise (--host 0.0.0.0: every interface).
    server.listen(p, values.host ?? '127.0.0.1', () => resolve());
  });
  const actual = (server.address() as { port: number }).port;
  io.out(`serving https://${name}:${actual}/ (level ${levelLabel(lv)}: ${bankSpeaks(bank)})`);
  io.out(`wrote ${written.join(', ')}; key log in ${keyLogFile}`);
  io.out(`try: openssl s_client -connect 127.0.0.1:${actual} -servername ${name} -CAfile ${path.join(dir, 'root.pem')} -verify_return_error`);
  return { port: actual, close: () => new Promise((r) => server.close(() => r())) };
}

export async function main(argv: string[], io: Io): Promise<number | Serving> {
  const [command, ...rest] = argv;
  try {
    if (command === 'connect') return await connect(rest, io);
    if (command === 'serve') return await serve(rest, io);
    throw new UsageError(command ? `unknown command ${command}` : 'a command is required');
  } catch (e) {
    if (!(e instanceof UsageError) && !(e instanceof TypeError && 'code' in e)) throw e;
    io.err(`${e.message}\n${USAGE}`);
    return 2;
  }
}

const isMain = process.argv[1] !== undefined && path.resolve(process.argv[1]) === path.resolve(new URL(import.meta.url).pathname);
if (isMain) {
  // Node runs the engine here: OpenSSL's primitives through node:crypto (byte for byte noble's, many
  // times faster; docs/benchmarks.md), unless CRYPTO_BACKEND=noble asks for the engine's default.
  useCryptoBackend(cryptoBackendNamed(process.env.CRYPTO_BACKEND));
  const io: Io = { out: (l) => console.log(l), err: (l) => console.error(l) };
  const result = await main(process.argv.slice(2), io);
  if (typeof result === 'number') process.exitCode = result;
}
