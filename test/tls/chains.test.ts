/**
 * Against servers the game did not make, with certificates it did not make: `npm run tls --
 * connect` completes against `openssl s_server` and a node:tls server sending Let's-Encrypt-shaped
 * chains made by the `openssl` command (root → intermediate → leaf, with AKI/SKI, EKU, AIA, CRL
 * DP and policies; an RSA-2048 leaf at level 4, a P-256 leaf under a P-384 intermediate at 4e and
 * 5), trusting one root or a bundle shaped like the system's, and prints the chain it validated.
 * The other way: every certificate `serve` writes passes `openssl verify -x509_strict`, and
 * OpenSSL's client in strict mode and Python's default context (with the strict flags 3.13 sets
 * by default) accept its chain. Skipped, saying so, without `openssl` (or `python3`). And the
 * game's own bank sending root → intermediate → bank (what the chain-of-trust level plays) to
 * the engine's browser and to node:tls, both ways.
 */
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import tls from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trustStoreFromPem } from '../../shared/src/pki/trust-store.ts';
import { clientTrusting } from '../../tools/tls/bank.ts';
import { main, type Io, type Serving } from '../../tools/tls/cli.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { tlsOf, type TlsLevel } from '../../tools/tls/bank.ts';
import { hasOpenssl, letsEncryptShaped, type Chain } from './openssl-chains.ts';
import { p256KeyPair } from '../../shared/src/crypto/primitives.ts';
import { seededRng } from '../../shared/src/crypto/rng.ts';
import { certificatePem, signCertificate } from '../../shared/src/pki/certificate.ts';
import type { Bank } from '../../tools/tls/bank.ts';
import { bankFor, context, LEVEL_CASES, NAME, NOW, nodeClient, serveEngine, serveNode } from './support.ts';
import { levelModule } from '../../shared/src/levels/index.ts';
import { nodeSuite, opensslArgs } from './openssl-names.ts';

const openssl = hasOpenssl();
const python = (() => {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
const SYSTEM_BUNDLE = '/etc/ssl/certs/ca-certificates.crt';

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-chains-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function io(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}

const BODY = 'Hello from openssl s_server\n';

/** `openssl s_server` for one connection: it prints what the browser sends, and on the request this answers with a small page through its stdin. */
async function sServer(level: TlsLevel, chain: Chain, sendIntermediate = true): Promise<{ port: number; stop(): void }> {
  const child: ChildProcess = spawn('openssl', ['s_server', '-accept', '127.0.0.1:0', '-naccept', '1', ...opensslArgs(level, { groups: true }), '-cert', chain.leaf, '-key', chain.leafKey, ...(sendIntermediate ? ['-cert_chain', chain.intermediate] : [])], { stdio: ['pipe', 'pipe', 'pipe'] });
  let seen = '';
  let answered = false;
  const port = await new Promise<number>((resolve, reject) => {
    child.on('error', reject);
    child.stdout!.on('data', (d: Buffer) => {
      seen += d.toString('latin1');
      const accept = /ACCEPT [\d.]+:(\d+)/.exec(seen);
      if (accept) resolve(Number(accept[1]));
      if (!answered && seen.includes('\r\n\r\n') && seen.includes('GET / HTTP/1.1')) {
        answered = true;
        child.stdin!.write(`HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: ${BODY.length}\r\n\r\n${BODY}`);
      }
    });
  });
  return { port, stop: () => child.kill() };
}

/** node:tls as the bank, sending the leaf and the intermediate. */
async function nodeServer(level: TlsLevel, chain: Chain): Promise<{ port: number; close(): Promise<void> }> {
  const cert = fs.readFileSync(chain.leaf, 'utf8') + chain.chainPem;
  const server = tls.createServer({ key: fs.readFileSync(chain.leafKey), cert, ...nodeSuite(level) }, (socket) => {
    const body = 'Hello from node:tls\n';
    socket.once('data', () => socket.end(`HTTP/1.1 200 OK\r\nContent-Length: ${body.length}\r\n\r\n${body}`));
    socket.on('error', () => {});
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as { port: number }).port, close: () => new Promise((r) => server.close(() => r())) };
}

const CASES = [
  { level: 4 as TlsLevel, label: '4', shape: 'rsa' as const, leafKey: 'RSA-2048', intermediate: "CN=R10, O=Let's Encrypt, C=US — RSA-2048, CA, pathlen 0", algorithm: 'sha256WithRSAEncryption', root: 'ISRG Root X1' },
  { level: 6 as TlsLevel, label: '4e', shape: 'ecdsa' as const, leafKey: 'EC P-256', intermediate: "CN=E5, O=Let's Encrypt, C=US — EC P-384, CA, pathlen 0", algorithm: 'ecdsa-with-SHA384', root: 'ISRG Root X2' },
  { level: 5 as TlsLevel, label: '5', shape: 'ecdsa' as const, leafKey: 'EC P-256', intermediate: "CN=E5, O=Let's Encrypt, C=US — EC P-384, CA, pathlen 0", algorithm: 'ecdsa-with-SHA384', root: 'ISRG Root X2' },
];

describe.skipIf(!openssl)('connect against servers and chains the game did not make (skipped when the openssl command is missing)', () => {
  const chains: Partial<Record<'rsa' | 'ecdsa', Chain>> = {};
  beforeAll(() => {
    chains.rsa = letsEncryptShaped(dir, 'rsa');
    chains.ecdsa = letsEncryptShaped(dir, 'ecdsa');
  }, 180_000);

  it.each(CASES)('level $label: openssl s_server with a Let’s-Encrypt-shaped $shape chain — the chain shown, every check passed, the page, exit 0', async (c) => {
    const chain = chains[c.shape]!;
    const server = await sServer(c.level, chain);
    const out = io();
    try {
      const code = await main(['connect', '--level', c.label, '--host', '127.0.0.1', '--port', String(server.port), '--name', 'www.bank.example', '--ca', chain.root], out);
      expect(out.errors).toEqual([]);
      expect(code).toBe(0);
      expect(out.lines.slice(0, 6)).toEqual([
        'certificate chain (the server’s certificate first, then each CA that signed the one before):',
        expect.stringMatching(new RegExp(`^ {2}0 CN=bank\\.example — ${c.leafKey}, names bank\\.example, www\\.bank\\.example, valid \\d{4}-\\d\\d-\\d\\d to \\d{4}-\\d\\d-\\d\\d$`)),
        `      signed by "${c.intermediate.slice(3, c.intermediate.indexOf(','))}" with ${c.algorithm}`,
        expect.stringMatching(new RegExp(`^ {2}1 ${c.intermediate.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}, valid `)),
        `      signed by "${c.root}" with ${c.algorithm}`,
        `  2 ${c.root} — in your trust store`,
      ]);
      expect(out.lines.filter((l) => l.startsWith('FAIL'))).toEqual([]);
      for (const check of ['Issuer is a CA you trust', 'Each issuer is a CA (basicConstraints)', 'Each issuer may sign certificates (keyCertSign)', 'No more intermediate CAs than allowed (pathLenConstraint)', 'Certified for TLS servers (extKeyUsage)']) {
        expect(out.lines).toContainEqual(expect.stringMatching(new RegExp(`^pass {2}${check.replace(/[().]/g, '\\$&')}: `)));
      }
      expect(out.lines.at(-1)).toBe(`\nHTTP 200\n${BODY}`);
    } finally {
      server.stop();
    }
  });

  it.each(CASES)('level $label: a node:tls bank sending the $shape chain — the path validated up to the root', async (c) => {
    const chain = chains[c.shape]!;
    const server = await nodeServer(c.level, chain);
    try {
      const result = await engineConnect({ level: c.level, host: '127.0.0.1', port: server.port, config: clientTrusting(fs.readFileSync(chain.root, 'utf8'), NAME), ctx: { ...context(`chain ${c.label}`), gameTime: Math.floor(Date.now() / 1000) + 2 } });
      expect(result.failure).toBeUndefined();
      expect(result.response).toEqual({ type: 'HttpResponse', status: 200, body: 'Hello from node:tls\n' });
      expect(result.path?.accepted).toBe(true);
      expect(result.path?.steps.map((s) => s.certificate.subject.commonName)).toEqual(['bank.example', c.intermediate.slice(3, c.intermediate.indexOf(','))]);
      expect(result.path?.anchor?.name).toBe(c.root);
    } finally {
      await server.close();
    }
  });

  it('the server forgets its intermediate: no path to the root — unknown_ca, said in words', async () => {
    const chain = chains.rsa!;
    const server = await sServer(4, chain, false);
    const port = server.port;
    const out = io();
    try {
      expect(await main(['connect', '--level', '4', '--host', '127.0.0.1', '--port', String(port), '--name', NAME, '--ca', chain.root], out)).toBe(1);
      expect(out.lines).toContain('FAIL  Issuer is a CA you trust: unknown issuer "R10" not in your trust store');
      expect(out.errors).toEqual(['failed: certificate rejected: unknown issuer "R10" not in your trust store (sent alert unknown_ca)']);
    } finally {
      server.stop();
    }
  });

  it.skipIf(!fs.existsSync(SYSTEM_BUNDLE))(`--ca with a bundle of many roots (${SYSTEM_BUNDLE} and the test's root): every one read, the chain found`, async () => {
    const chain = chains.ecdsa!;
    const bundle = path.join(dir, 'bundle.pem');
    fs.writeFileSync(bundle, fs.readFileSync(SYSTEM_BUNDLE, 'utf8') + fs.readFileSync(chain.root, 'utf8'));
    const inSystem = trustStoreFromPem(fs.readFileSync(SYSTEM_BUNDLE, 'utf8'));
    expect(inSystem.skipped).toEqual([]);
    const server = await sServer(5, chain);
    const out = io();
    try {
      const code = await main(['connect', '--level', '5', '--host', '127.0.0.1', '--port', String(server.port), '--name', NAME, '--ca', bundle], out);
      expect(out.errors).toEqual([]);
      expect(code).toBe(0);
      expect(out.lines[0]).toBe(`trusting ${inSystem.anchors.length + 1} CAs from ${bundle}`);
      expect(out.lines).toContain('  2 ISRG Root X2 — in your trust store');
    } finally {
      server.stop();
    }
  });
});

describe.skipIf(!openssl)('the certificates serve writes pass strict RFC 5280 checkers (skipped when the openssl command is missing)', () => {
  it.each(CASES)('level $label: openssl verify -x509_strict accepts root.pem and bank.pem, and s_client -x509_strict the connection', async (c) => {
    const out = path.join(dir, `serve-${c.label}`);
    const serving = (await main(['serve', '--level', c.label, '--port', '0', '--host', '127.0.0.1', '--dir', out], io())) as Serving;
    try {
      const root = path.join(out, 'root.pem');
      const bank = path.join(out, 'bank.pem');
      expect(execFileSync('openssl', ['verify', '-x509_strict', '-CAfile', root, root, bank], { encoding: 'utf8' })).toBe(`${root}: OK\n${bank}: OK\n`);
      const verdict = await new Promise<string>((resolve) => {
        const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${serving.port}`, '-servername', NAME, '-CAfile', root, '-x509_strict', '-verify_return_error', '-verify_hostname', NAME], (_e, stdout, stderr) => resolve(stdout + stderr));
        child.stdin?.end();
      });
      expect(verdict).toMatch(/Verify return code: 0 \(ok\)/);
    } finally {
      await serving.close();
    }
  });

  // Python's default context offers no RSA key transport (it wants forward secrecy).
  it.skipIf(!python).each(CASES.filter((c) => levelModule(c.level).keyExchange !== 'transport'))(
    "level $label: Python's default SSL context, with the strict X.509 flags Python 3.13 sets, gets the page (skipped without python3)",
    async (c) => {
      const out = path.join(dir, `python-${c.label}`);
      const serving = (await main(['serve', '--level', c.label, '--port', '0', '--host', '127.0.0.1', '--dir', out], io())) as Serving;
      try {
        const script = [
          'import socket, ssl, sys',
          'ctx = ssl.create_default_context(cafile=sys.argv[1])',
          'ctx.verify_flags |= ssl.VERIFY_X509_STRICT | ssl.VERIFY_X509_PARTIAL_CHAIN',
          `with socket.create_connection(("127.0.0.1", int(sys.argv[2]))) as raw, ctx.wrap_socket(raw, server_hostname="${NAME}") as s:`,
          `    s.sendall(b"GET / HTTP/1.1\\r\\nHost: ${NAME}\\r\\nConnection: close\\r\\n\\r\\n")`,
          '    print(s.version(), s.recv(4096).split(b"\\r\\n")[0].decode())',
        ].join('\n');
        const printed = await new Promise<string>((resolve) => execFile('python3', ['-c', script, path.join(out, 'root.pem'), String(serving.port)], (_e, stdout, stderr) => resolve(stdout + stderr)));
        expect(printed.trim()).toBe(`TLSv${tlsOf(c.level).tls.version} HTTP/1.1 200 OK`);
      } finally {
        await serving.close();
      }
    },
  );
});

/** The bank's certificate issued by an intermediate CA of the game's root, which the bank sends after it. */
function bankUnderIntermediate(level: TlsLevel): Bank {
  const bank = bankFor(level, `under an intermediate ${level}`);
  const issuing = p256KeyPair(seededRng(`issuing CA ${level}`).bytes(32));
  const DAY = 86_400;
  const intermediate = signCertificate({ serial: 2n, subject: 'Heist Issuing CA', issuer: bank.caName, notBefore: NOW - DAY, notAfter: NOW + 365 * DAY, keyType: 'p256', keyUsage: ['keyCertSign'], publicKey: issuing.publicKey, names: [], ca: true, pathLength: 0 }, bank.caKeys.secretKey);
  const certificate = signCertificate({ ...bank.certificate, issuer: 'Heist Issuing CA' }, issuing.secretKey);
  return { ...bank, certificate, certificatePem: certificatePem(certificate) + certificatePem(intermediate), server: { ...bank.server, certificate, chain: [intermediate] } };
}

describe.each(LEVEL_CASES)('level $label: the game’s bank under an intermediate CA sends its chain', ({ level }) => {
  it('the engine’s browser builds root → intermediate → bank from what the engine’s bank sends', async () => {
    const bank = bankUnderIntermediate(level);
    const server = await serveEngine(bank);
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: server.port, config: clientTrusting(bank.rootPem, NAME), ctx: context(`chain client ${level}`) });
      expect(result.failure).toBeUndefined();
      expect(result.response).toMatchObject({ type: 'HttpResponse', status: 200 });
      expect(result.path?.steps.map((s) => [s.role, s.certificate.subject.commonName, s.issuedBy])).toEqual([
        ['leaf', 'bank.example', 'Heist Issuing CA'],
        ['intermediate', 'Heist Issuing CA', 'Heist Root CA'],
      ]);
      expect(result.checks.filter((c) => !c.passed)).toEqual([]);
    } finally {
      await server.close();
    }
  });

  it('node:tls (OpenSSL) as the browser accepts the chain the engine’s bank sends, and the engine’s browser the one node:tls sends', async () => {
    const bank = bankUnderIntermediate(level);
    const engineBank = await serveEngine(bank);
    const nodeBank = await serveNode(level, bank);
    try {
      const fromEngine = await nodeClient(level, engineBank.port, bank.rootPem);
      expect(fromEngine.error).toBeUndefined();
      expect(fromEngine.response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
      const fromNode = await engineConnect({ level, host: '127.0.0.1', port: nodeBank.port, config: clientTrusting(bank.rootPem, NAME), ctx: context(`chain node ${level}`) });
      expect(fromNode.failure).toBeUndefined();
      expect(fromNode.path?.steps).toHaveLength(2);
    } finally {
      await engineBank.close();
      await nodeBank.close();
    }
  });

  it('without its intermediate the same certificate has no path: unknown_ca, which node:tls reports', async () => {
    const full = bankUnderIntermediate(level);
    const bank = { ...full, server: { ...full.server, chain: [] } };
    const server = await serveNode(level, { ...bank, certificatePem: certificatePem(bank.certificate) });
    try {
      const result = await engineConnect({ level, host: '127.0.0.1', port: server.port, config: clientTrusting(bank.rootPem, NAME), ctx: context(`chain missing ${level}`) });
      expect(result.alertSent).toBe('unknown_ca');
      expect((await server.closed).error?.code).toBe('ERR_SSL_TLSV1_ALERT_UNKNOWN_CA');
    } finally {
      await server.close();
    }
  });
});
