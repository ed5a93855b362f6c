/**
 * Level 6, the chain of trust, in real bytes, against OpenSSL: root → intermediate → bank.
 * - `npm run tls -- serve --level 6` writes root.pem, intermediate.pem and bank.pem (the chain the
 *   bank sends): `openssl x509` reads each, `openssl verify -x509_strict -CAfile root.pem
 *   -untrusted intermediate.pem` accepts the bank's, and without the intermediate finds no path;
 *   OpenSSL's client in strict mode and Python's default context accept the chain served.
 * - Mallory's forged chain, as a round of the game makes it (a bank.example certificate signed
 *   with the key of her genuine mallory.example certificate, sent with hers and the
 *   intermediate's): OpenSSL refuses it for the same three reasons the game's browser gives —
 *   no CA, no keyCertSign, path length — and so does OpenSSL's client, served by the engine.
 * Skipped, saying so, without `openssl` (or `python3`).
 */
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { simulateRound } from '../../shared/src/play/simulate.ts';
import { intermediatePem, rootPem } from '../../shared/src/capture/key-files.ts';
import { certificatePem } from '../../shared/src/pki/certificate.ts';
import { levelByLabel } from '../../shared/src/levels/texts/index.ts';
import { clientTrusting, type Bank } from '../../tools/tls/bank.ts';
import { main, type Io, type Serving } from '../../tools/tls/cli.ts';
import { engineConnect } from '../../tools/tls/connect.ts';
import { hasOpenssl } from './openssl-chains.ts';
import { opensslRun } from './openssl.ts';
import { bankFor, context, NAME, NOW, serveEngine } from './support.ts';

const openssl = hasOpenssl();
const python = (() => {
  try {
    execFileSync('python3', ['--version']);
    return true;
  } catch {
    return false;
  }
})();
const CHAIN = levelByLabel('6')!;

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-chain-of-trust-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const io = (): Io => ({ out: () => {}, err: () => {} });
const run = opensslRun;
const write = (name: string, text: string) => {
  const file = path.join(dir, name);
  fs.writeFileSync(file, text);
  return file;
};

describe.skipIf(!openssl)('level 6: the chain serve writes, read and verified by OpenSSL (skipped when the openssl command is missing)', () => {
  it('openssl x509 reads root.pem, intermediate.pem and bank.pem; verify -x509_strict builds bank → intermediate → root, and without the intermediate cannot', async () => {
    const out = path.join(dir, 'serve');
    const serving = (await main(['serve', '--level', '6', '--port', '0', '--host', '127.0.0.1', '--dir', out], io())) as Serving;
    try {
      const [root, intermediate, bank] = ['root.pem', 'intermediate.pem', 'bank.pem'].map((f) => path.join(out, f)) as [string, string, string];
      const read = (file: string) => run(['x509', '-in', file, '-noout', '-subject', '-issuer', '-ext', 'basicConstraints,keyUsage']).output;
      expect(read(root)).toMatch(/^subject=CN = Heist Root CA\nissuer=CN = Heist Root CA\nX509v3 Basic Constraints: critical\n {4}CA:TRUE\nX509v3 Key Usage: critical\n {4}Certificate Sign\n$/);
      expect(read(intermediate)).toMatch(/^subject=CN = Heist Issuing CA\nissuer=CN = Heist Root CA\nX509v3 Basic Constraints: critical\n {4}CA:TRUE, pathlen:0\nX509v3 Key Usage: critical\n {4}Certificate Sign, CRL Sign\n$/);
      expect(read(bank)).toMatch(/^subject=CN = bank\.example\nissuer=CN = Heist Issuing CA\nX509v3 Basic Constraints: critical\n {4}CA:FALSE\nX509v3 Key Usage: critical\n {4}Digital Signature\n$/);
      // bank.pem is the chain the bank sends: its certificate, then the intermediate's.
      expect(fs.readFileSync(bank, 'utf8')).toBe(fs.readFileSync(bank, 'utf8').split('-----END CERTIFICATE-----\n')[0] + '-----END CERTIFICATE-----\n' + fs.readFileSync(intermediate, 'utf8'));

      expect(run(['verify', '-x509_strict', '-CAfile', root, '-untrusted', intermediate, bank])).toEqual({ ok: true, output: `${bank}: OK\n` });
      const alone = run(['verify', '-x509_strict', '-CAfile', root, bank]);
      expect(alone.ok).toBe(false);
      expect(alone.output).toContain('error 20 at 0 depth lookup: unable to get local issuer certificate');

      const verdict = await new Promise<string>((resolve) => {
        const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${serving.port}`, '-servername', NAME, '-CAfile', root, '-x509_strict', '-verify_return_error', '-verify_hostname', NAME], (_e, stdout, stderr) => resolve(stdout + stderr));
        child.stdin?.end();
      });
      expect(verdict).toMatch(/Certificate chain\n 0 s:CN = bank\.example\n {3}i:CN = Heist Issuing CA\n/);
      expect(verdict).toMatch(/\n 1 s:CN = Heist Issuing CA\n {3}i:CN = Heist Root CA\n/);
      expect(verdict).toMatch(/Verify return code: 0 \(ok\)/);
    } finally {
      await serving.close();
    }
  });

  it.skipIf(!python)("Python's default SSL context, with the strict X.509 flags, gets the page over the chain (skipped without python3)", async () => {
    const out = path.join(dir, 'python');
    const serving = (await main(['serve', '--level', '6', '--port', '0', '--host', '127.0.0.1', '--dir', out], io())) as Serving;
    try {
      const script = [
        'import socket, ssl, sys',
        'ctx = ssl.create_default_context(cafile=sys.argv[1])',
        'ctx.verify_flags |= ssl.VERIFY_X509_STRICT',
        `with socket.create_connection(("127.0.0.1", int(sys.argv[2]))) as raw, ctx.wrap_socket(raw, server_hostname="${NAME}") as s:`,
        `    s.sendall(b"GET / HTTP/1.1\\r\\nHost: ${NAME}\\r\\nConnection: close\\r\\n\\r\\n")`,
        '    print(s.version(), s.recv(4096).split(b"\\r\\n")[0].decode())',
      ].join('\n');
      const printed = await new Promise<string>((resolve) => execFile('python3', ['-c', script, path.join(out, 'root.pem'), String(serving.port)], (_e, stdout, stderr) => resolve(stdout + stderr)));
      expect(printed.trim()).toBe('TLSv1.2 HTTP/1.1 200 OK');
    } finally {
      await serving.close();
    }
  });
});

/** A round of level 6 in which Mallory's proxy presented her forged chain to a careless Alice, dated now (OpenSSL checks the wall clock). */
function forgedRound() {
  const { round } = simulateRound(CHAIN, { client: 'careless', server: 'standard', ca: 'strict', attacker: 'ownCertificateAsCa' }, 'tls/forged', { gameClock: NOW });
  const shown = round.attacker.proxy?.downstream?.config;
  if (round.result?.outcome !== 'impersonated' || !shown?.certificate || !shown.chain) throw new Error(`the forged round did not play: ${round.result?.summary}`);
  return { round, shown: { ...shown, certificate: shown.certificate, chain: shown.chain } };
}

describe.skipIf(!openssl)('level 6: Mallory’s mallory.example certificate used as a CA, against OpenSSL (skipped when the openssl command is missing)', () => {
  it('openssl verify -x509_strict refuses her path for the game’s three reasons: no CA, no certificate signing, path length', () => {
    const { round, shown } = forgedRound();
    const root = write('forged-root.pem', rootPem(round));
    const untrusted = write('forged-untrusted.pem', shown.chain.map(certificatePem).join(''));
    const forged = write('forged-bank.pem', certificatePem(shown.certificate));
    expect(shown.chain.map((c) => c.subject)).toEqual(['mallory.example', 'Heist Issuing CA']);
    // Her own certificate is genuine: the intermediate's chain verifies it.
    const mallory = write('forged-mallory.pem', certificatePem(shown.chain[0]!));
    expect(run(['verify', '-x509_strict', '-CAfile', root, '-untrusted', write('forged-intermediate.pem', intermediatePem(round)!), mallory])).toEqual({ ok: true, output: `${mallory}: OK\n` });
    const verdict = run(['verify', '-x509_strict', '-CAfile', root, '-untrusted', untrusted, forged]);
    expect(verdict.ok).toBe(false);
    const errors = verdict.output.split('\n').filter((l) => l.startsWith('error ') && l.includes(' depth lookup: '));
    expect(errors.map((l) => l.replace(/^error \d+ /, 'error '))).toEqual([
      'error at 1 depth lookup: invalid CA certificate',
      'error at 2 depth lookup: path length constraint exceeded',
      'error at 1 depth lookup: key usage does not include certificate signing',
    ]);
  });

  it('served by the engine: OpenSSL’s client in strict mode refuses the chain at mallory.example, and so does the game’s browser (bad_certificate), naming the same links', async () => {
    const { round, shown } = forgedRound();
    const bank: Bank = { ...bankFor(CHAIN, 'forged'), server: { ...shown }, rootPem: rootPem(round) };
    const server = await serveEngine(bank);
    try {
      const root = write('served-root.pem', bank.rootPem);
      const verdict = await new Promise<string>((resolve) => {
        const child = execFile('openssl', ['s_client', '-connect', `127.0.0.1:${server.port}`, '-servername', NAME, '-CAfile', root, '-x509_strict', '-verify_return_error'], (_e, stdout, stderr) => resolve(stdout + stderr));
        child.stdin?.end();
      });
      expect(verdict).toMatch(/\n 1 s:CN = mallory\.example\n {3}i:CN = Heist Issuing CA\n/);
      expect(verdict).toMatch(/depth=1 CN = mallory\.example\nverify error:num=\d+:invalid CA certificate\n/);
      expect(verdict).toMatch(/certificate verify failed/);
      const browser = await engineConnect({ level: CHAIN, host: '127.0.0.1', port: server.port, config: clientTrusting(bank.rootPem, NAME), ctx: context('forged chain') });
      expect(browser.alertSent).toBe('bad_certificate');
      expect(browser.path?.steps.map((s) => [s.certificate.subject.commonName, s.checks.filter((c) => !c.passed).map((c) => c.check)])).toEqual([
        ['bank.example', []],
        ['mallory.example', ['caFlag', 'caKeyUsage']],
        ['Heist Issuing CA', ['pathLength']],
      ]);
    } finally {
      await server.close();
    }
  });
});
