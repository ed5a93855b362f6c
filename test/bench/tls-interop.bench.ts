/**
 * Engine handshakes per CPU-second against node:tls (OpenSSL) handshakes per CPU-second, the same
 * suites, side by side in one run: level 4 (TLS 1.2, TLS_RSA_WITH_AES_128_GCM_SHA256, RSA-2048),
 * level 4e (TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256, P-256 shares, ECDSA P-256) and
 * level 5 (TLS 1.3, TLS_AES_128_GCM_SHA256, X25519, ECDSA P-256).
 *
 *   npm run bench:tls                               (= npx tsx test/bench/tls-interop.bench.ts)
 *   npx tsx test/bench/tls-interop.bench.ts --batches 12 --sessions 20 --warmup 10 --levels 4,4e,5   (the defaults)
 *
 * One "session" is one TCP connection on loopback: a full handshake, then GET / and its answer,
 * both ends in this process (so its CPU time is both ends' work plus the loopback), one
 * connection at a time. The pairings:
 *   engine ↔ engine (noble)         tools/tls's browser and bank, the engine's default crypto
 *   engine ↔ engine (node:crypto)   the same, on the server's OpenSSL-backed primitives
 *   node:tls → engine bank (noble)  OpenSSL's client against the engine's bank
 *   engine (noble) → node:tls bank  the engine's browser against OpenSSL's server
 *   node:tls ↔ node:tls             OpenSSL both ends, no session resumption
 * Batches of every pairing are interleaved (the order rotating per round), each timed by
 * process CPU (process.cpuUsage) and the wall clock; the figure per pairing is the median batch.
 * Each session checks that the answer arrived, so a failing path cannot be timed as a fast one.
 */
import net from 'node:net';
import tls from 'node:tls';
import { nobleBackend, seededRng, useCryptoBackend, type CryptoBackend } from '@heist/shared';
import { nodeCryptoBackend } from '../../server/src/crypto/node-backend.ts';
import { levelLabel } from '../../shared/src/levels/texts/index.ts';
import { clientTrusting, makeBank, TLS_LABELS, tlsLevelByLabel, tlsOf, type Bank, type TlsLevel } from '../../tools/tls/bank.ts';
import { nodeSuite } from '../tls/openssl-names.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { engineServer, suiteWords } from '../../tools/tls/serve.ts';

function fail(message: string): never {
  throw new Error(message);
}

function option(name: string, fallback: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] !== undefined ? process.argv[i + 1]! : fallback;
}
const BATCHES = Number(option('batches', '12'));
const SESSIONS = Number(option('sessions', '20'));
const WARMUP = Number(option('warmup', '10'));
const LEVELS = option('levels', '4,4e,5')
  .split(',')
  .map((label) => tlsLevelByLabel(label) ?? fail(`--levels takes ${TLS_LABELS.join(', ')}, got ${label}`));
const NOW = Math.floor(Date.now() / 1000);
const NAME = 'bank.example';

/** "TLS 1.2, TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256 with P-256, ECDSA P-256 certificate", from the level's module. */
function description(level: TlsLevel): string {
  return `${suiteWords(level)}, ${tlsOf(level).pki.certificateKey.keyType === 'rsa' ? 'RSA-2048' : 'ECDSA P-256'} certificate`;
}

let counter = 0;
const ctx = () => ({ rng: seededRng(`tls bench ${counter++}`), gameTime: NOW });

function listen(server: net.Server): Promise<number> {
  return new Promise((r) => server.listen(0, '127.0.0.1', () => r((server.address() as net.AddressInfo).port)));
}

function nodeGet(level: TlsLevel, port: number, ca: string): Promise<void> {
  return new Promise((resolve, reject) => {
    let got = '';
    const s = tls.connect({ host: '127.0.0.1', port, servername: NAME, ca, ...nodeSuite(level) }, () => {
      const suite = s.getCipher().standardName;
      if (suite !== tlsOf(level).tls.suite) reject(new Error(`node:tls negotiated ${suite}, not ${tlsOf(level).tls.suite}`));
      s.write(`GET / HTTP/1.1\r\nHost: ${NAME}\r\n\r\n`);
    });
    s.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      const head = got.indexOf('\r\n\r\n');
      const length = /content-length: (\d+)/i.exec(got);
      if (head >= 0 && length && got.length >= head + 4 + Number(length[1])) {
        if (!got.startsWith('HTTP/1.1 200 ')) reject(new Error(`node:tls got ${got.slice(0, 40)}`));
        s.end();
        resolve();
      }
    });
    s.on('error', reject);
  });
}

async function engineGet(level: TlsLevel, port: number, bank: Bank): Promise<void> {
  const r = await engineConnect({ level, host: '127.0.0.1', port, config: clientTrusting(bank.rootPem, NAME), ctx: ctx() });
  if (r.response?.type !== 'HttpResponse' || r.response.status !== 200) throw new Error(`the engine's browser failed: ${JSON.stringify(r.failure)}`);
}

function nodeBank(level: TlsLevel, bank: Bank): tls.Server {
  return tls.createServer({ key: bank.keyPem, cert: bank.certificatePem, ...nodeSuite(level) }, (socket) => {
    let got = '';
    socket.on('data', (d: Buffer) => {
      got += d.toString('latin1');
      if (got.includes('\r\n\r\n')) socket.end('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nok\n');
    });
    socket.on('error', () => undefined);
  });
}

interface Pairing {
  name: string;
  backend: CryptoBackend;
  session(): Promise<void>;
}

async function pairings(level: TlsLevel): Promise<{ list: Pairing[]; close(): void }> {
  const bank = makeBank(level, { rng: seededRng(`tls bench bank ${level}`), now: NOW });
  const engine = engineServer(bank, { context: ctx });
  const node = nodeBank(level, bank);
  const enginePort = await listen(engine);
  const nodePort = await listen(node);
  return {
    list: [
      { name: 'engine ↔ engine (noble)', backend: nobleBackend, session: () => engineGet(level, enginePort, bank) },
      { name: 'engine ↔ engine (node:crypto)', backend: nodeCryptoBackend, session: () => engineGet(level, enginePort, bank) },
      { name: 'node:tls → engine bank (noble)', backend: nobleBackend, session: () => nodeGet(level, enginePort, bank.rootPem) },
      { name: 'engine (noble) → node:tls bank', backend: nobleBackend, session: () => engineGet(level, nodePort, bank) },
      { name: 'node:tls ↔ node:tls', backend: nobleBackend, session: () => nodeGet(level, nodePort, bank.rootPem) },
    ],
    close: () => {
      engine.close();
      node.close();
    },
  };
}

interface Timing {
  cpu: number;
  wall: number;
}

async function batch(p: Pairing, n: number): Promise<Timing> {
  useCryptoBackend(p.backend);
  try {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    for (let i = 0; i < n; i++) await p.session();
    const c = process.cpuUsage(c0);
    return { cpu: (c.user + c.system) / 1000, wall: performance.now() - t0 };
  } finally {
    useCryptoBackend(undefined);
  }
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
};

async function main(): Promise<void> {
  console.log(`TLS interop benchmark: ${BATCHES} rounds × ${SESSIONS} sessions per pairing, node ${process.version}, ${process.versions.openssl ? `OpenSSL ${process.versions.openssl}` : ''}`);
  for (const level of LEVELS) {
    const { list, close } = await pairings(level);
    for (const p of list) await batch(p, WARMUP);
    const times = new Map(list.map((p) => [p.name, [] as Timing[]]));
    for (let r = 0; r < BATCHES; r++) {
      const order = list.map((_, i) => list[(i + r) % list.length]!);
      for (const p of order) times.get(p.name)!.push(await batch(p, SESSIONS));
      process.stderr.write(`  level ${levelLabel(level)} round ${r + 1}/${BATCHES}\n`);
    }
    close();
    const baseline = median(times.get('node:tls ↔ node:tls')!.map((t) => t.cpu));
    console.log(`\nLevel ${levelLabel(level)} (${description(level)}): both ends in one process`);
    console.log('| Pairing | CPU ms / session | sessions / CPU-s | wall ms / session | CPU vs node:tls ↔ node:tls |');
    console.log('|---|---:|---:|---:|---:|');
    for (const p of list) {
      const cpu = median(times.get(p.name)!.map((t) => t.cpu));
      const wall = median(times.get(p.name)!.map((t) => t.wall));
      console.log(`| ${p.name} | ${(cpu / SESSIONS).toFixed(2)} | ${((SESSIONS * 1000) / cpu).toFixed(0)} | ${(wall / SESSIONS).toFixed(2)} | ${(cpu / baseline).toFixed(1)} × |`);
    }
  }
}

await main();
