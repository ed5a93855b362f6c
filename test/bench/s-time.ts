/**
 * `npm run tls -- serve` against `openssl s_server`, measured the way OpenSSL measures a server:
 * `openssl s_time -new` (a fresh full handshake per connection, no resumption) for a fixed time,
 * each server in its own process, the same suite, key type and curve on both, runs alternated.
 *
 *   npx tsx test/bench/s-time.ts [--levels 4,4e,5] [--seconds 10] [--rounds 3] [--www /] [--backend node|noble]
 *
 * Reports per level, for each server, the median over rounds of s_time's connections per
 * wall-clock second and the server process's CPU (utime + stime from /proc) per connection, and
 * the engine's share of s_server's rate; and, for where the engine's time goes, the CPU its
 * bank's machine alone takes per handshake (in this process, on node:crypto, the browser's bytes
 * handed over in memory: no sockets, no driver). `--www /` fetches a page after each handshake (an
 * HTTP/1.0 request, which both servers answer and close); without it each connection is the
 * handshake alone. s_time's own process runs on the same machine and takes CPU too.
 *
 * The engine's bank is `tools/tls/cli.ts serve` (node:crypto unless `--backend noble`, as
 * CRYPTO_BACKEND says); s_server gets a key of the same type made by `openssl req` (RSA-2048 at
 * 4, P-256 at 4e and 5), and `-groups P-256` at 4e as the engine speaks only P-256 there.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { useCryptoBackend } from '../../shared/src/crypto/primitives.ts';
import { LEVEL_MODULES } from '../../shared/src/levels/index.ts';
import { levelLabel } from '../../shared/src/levels/texts/index.ts';
import { cryptoBackendNamed } from '../../server/src/crypto/select.ts';
import { clientTrusting, makeBank, TLS_LABELS, tlsOf, tlsWire, tlsLevelByLabel, type TlsLevel } from '../../tools/tls/bank.ts';
import { opensslArgs } from '../tls/openssl-names.ts';
import { clientEndpoint, serverEndpoint } from '../../tools/tls/endpoint.ts';
import { systemRng } from '../../tools/tls/system-rng.ts';

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const LEVELS = option('levels', '4,4e,5')
  .split(',')
  .map((label) => tlsLevelByLabel(label) ?? (() => { throw new Error(`--levels takes ${TLS_LABELS.join(', ')}, got ${label}`); })());
const SECONDS = Number(option('seconds', '10'));
const ROUNDS = Number(option('rounds', '3'));
const WWW = option('www', '');
const BACKEND = option('backend', 'node');
const CLK_TCK = Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;


const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-s-time-'));
const children: ChildProcess[] = [];
process.on('exit', () => {
  for (const c of children) if (c.exitCode === null) c.kill();
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Starts a server process and resolves with its port once it prints where it listens. */
function start(command: string, args: string[], listening: RegExp, env: NodeJS.ProcessEnv = process.env): Promise<{ child: ChildProcess; port: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'], env });
    children.push(child);
    let text = '';
    const seen = (d: Buffer) => {
      text += d.toString();
      const m = listening.exec(text);
      if (m) resolve({ child, port: Number(m[1]) });
    };
    child.stdout!.on('data', seen);
    child.stderr!.on('data', seen);
    child.on('exit', (code) => reject(new Error(`${command} exited (${code}) before listening:\n${text}`)));
  });
}

function cpuSeconds(pid: number): number {
  const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]!.split(' ');
  return (Number(fields[11]) + Number(fields[12])) / CLK_TCK; // utime, stime (fields 14 and 15)
}

interface Run {
  perSecond: number;
  cpuMsPerConnection: number;
}

function sTime(port: number, level: TlsLevel, pid: number): Run {
  const before = cpuSeconds(pid);
  const out = execFileSync('openssl', ['s_time', '-connect', `127.0.0.1:${port}`, '-new', '-time', String(SECONDS), ...opensslArgs(level, { groups: false }), ...(WWW ? ['-www', WWW] : [])], { encoding: 'utf8' });
  const cpu = cpuSeconds(pid) - before;
  const m = /(\d+) connections in (\d+) real seconds/.exec(out);
  if (!m) throw new Error(`s_time said:\n${out}`);
  const connections = Number(m[1]);
  return { perSecond: connections / Number(m[2]), cpuMsPerConnection: (cpu * 1000) / connections };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** The bank's machine alone: CPU per whole handshake (its share of process.cpuUsage around each of its steps), median of `n`. */
function machineCpuMs(level: TlsLevel, n = 400): number {
  useCryptoBackend(cryptoBackendNamed(BACKEND));
  const now = Math.floor(Date.now() / 1000);
  const bank = makeBank(level, { rng: systemRng, now });
  const browser = { ...clientTrusting(bank.rootPem, 'bank.example'), applicationData: 'bytes' as const };
  const server = { ...bank.server, applicationData: 'bytes' as const };
  const one = (): number => {
    const toBank: Uint8Array[] = [];
    const fromBank: Uint8Array[] = [];
    const ctx = { rng: systemRng, gameTime: now };
    const bankEnd = serverEndpoint(LEVEL_MODULES[level].server.initial(server), ctx, server, { write: (b) => fromBank.push(b) }, tlsWire(level));
    const start = LEVEL_MODULES[level].client.start(ctx, browser);
    const browserEnd = clientEndpoint(start.connection, ctx, browser, { write: (b) => toBank.push(b) }, tlsWire(level));
    browserEnd.begin(start.out);
    let cpu = 0;
    while (toBank.length || fromBank.length) {
      if (toBank.length) {
        const before = process.cpuUsage();
        bankEnd.receive(toBank.shift()!);
        const used = process.cpuUsage(before);
        cpu += (used.user + used.system) / 1000;
      }
      if (fromBank.length) browserEnd.receive(fromBank.shift()!);
    }
    if (bankEnd.stage !== 'traffic') throw new Error(`level ${levelLabel(level)}: the in-memory handshake failed`);
    return cpu;
  };
  for (let i = 0; i < 100; i++) one();
  return median(Array.from({ length: n }, one));
}

function key(level: TlsLevel): { cert: string; key: string } {
  const cert = path.join(dir, `s_server-${level}.pem`);
  const keyFile = path.join(dir, `s_server-${level}.key`);
  const newkey = tlsOf(level).pki.certificateKey.keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256'];
  execFileSync('openssl', ['req', '-x509', ...newkey, '-nodes', '-keyout', keyFile, '-out', cert, '-subj', '/CN=bank.example', '-days', '2'], { stdio: 'ignore' });
  return { cert, key: keyFile };
}

console.log(`openssl s_time -new, ${SECONDS} s a run, ${ROUNDS} rounds alternated, ${WWW ? `fetching ${WWW}` : 'handshakes only'}; engine backend: ${BACKEND}; ${os.cpus().length} CPUs, load average ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
console.log('| level | engine conn/s | s_server conn/s | engine ÷ s_server | engine CPU ms/conn | s_server CPU ms/conn | of which the bank’s machine alone |');
console.log('|---|---:|---:|---:|---:|---:|---:|');
for (const level of LEVELS) {
  const label = levelLabel(level);
  const engine = await start(process.execPath, ['--import', 'tsx', 'tools/tls/cli.ts', 'serve', '--level', label, '--port', '0', '--host', '127.0.0.1', '--dir', path.join(dir, `serve-${label}`)], /serving https:\/\/[^:]+:(\d+)\//, { ...process.env, CRYPTO_BACKEND: BACKEND });
  const files = key(level);
  const openssl = await start('openssl', ['s_server', '-accept', '0', '-cert', files.cert, '-key', files.key, ...opensslArgs(level, { groups: true }), '-www'], /ACCEPT .*:(\d+)\n/);
  const runs: { engine: Run[]; openssl: Run[] } = { engine: [], openssl: [] };
  sTime(engine.port, level, engine.child.pid!); // warm-up (JIT, key caches)
  for (let i = 0; i < ROUNDS; i++) {
    runs.engine.push(sTime(engine.port, level, engine.child.pid!));
    runs.openssl.push(sTime(openssl.port, level, openssl.child.pid!));
  }
  const e = median(runs.engine.map((r) => r.perSecond));
  const o = median(runs.openssl.map((r) => r.perSecond));
  const ecpu = median(runs.engine.map((r) => r.cpuMsPerConnection));
  const ocpu = median(runs.openssl.map((r) => r.cpuMsPerConnection));
  console.log(`| ${label} | ${e.toFixed(0)} | ${o.toFixed(0)} | ${(e / o).toFixed(2)} | ${ecpu.toFixed(2)} | ${ocpu.toFixed(2)} | ${machineCpuMs(level).toFixed(2)} |`);
  engine.child.kill();
  openssl.child.kill();
}
console.log(`load average after: ${os.loadavg().map((l) => l.toFixed(1)).join(' ')}`);
process.exit(0);
