/**
 * deploy/nginx.conf run by the machine's nginx for tests, in a folder of its own: the file with
 * what this machine needs changed (listen addresses, a self-signed certificate, and `http2 on;`
 * dropped: Debian 12's nginx 1.22 predates it, the compose file runs 1.28), the rest of each
 * change up to the test, inside a minimal main configuration with its own pid file and logs.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');
const nginxBin = ['/usr/sbin/nginx', '/usr/local/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));

/** Why nginx cannot run here, or undefined. */
export function nginxMissing(): string | undefined {
  if (!nginxBin) return 'nginx is not installed (Debian package nginx-light; .ci/run installs it)';
  if (spawnSync('openssl', ['version']).status !== 0) return 'openssl is not installed';
  return undefined;
}

export interface Nginx {
  proc: ChildProcess;
  /** What nginx printed, and its error log. */
  output(): string;
  stop(): Promise<void>;
}

/**
 * deploy/nginx.conf listening on 127.0.0.1:tlsPort (TLS, a certificate made here for 127.0.0.1)
 * and 127.0.0.1:httpPort, `edit` applied after the changes every test needs; started, and
 * resolved once `ready` says it answers (10 s at most).
 */
export async function startNginx(dir: string, ports: { tlsPort: number; httpPort: number }, edit: (conf: string) => string, ready: () => Promise<boolean>): Promise<Nginx> {
  const ssl = spawnSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', path.join(dir, 'privkey.pem'), '-out', path.join(dir, 'fullchain.pem'), '-days', '1', '-subj', '/CN=127.0.0.1'], { encoding: 'utf8' });
  if (ssl.status !== 0) throw new Error(`openssl: ${ssl.stderr}`);
  const conf = fs
    .readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8')
    .replaceAll('${HEIST_HOST}', '127.0.0.1')
    .replace('listen 443 ssl;', `listen 127.0.0.1:${ports.tlsPort} ssl;`)
    .replace('listen 80;', `listen 127.0.0.1:${ports.httpPort};`)
    .replace(/^ {2}http2 on;$/m, '')
    .replaceAll('/etc/nginx/certs', dir);
  fs.writeFileSync(path.join(dir, 'default.conf'), edit(conf));
  fs.writeFileSync(path.join(dir, 'nginx.conf'), `pid ${dir}/nginx.pid;\nerror_log ${dir}/error.log;\nevents {}\nhttp {\n  access_log ${dir}/access.log;\n  include ${dir}/default.conf;\n}\n`);
  const proc = spawn(nginxBin!, ['-c', path.join(dir, 'nginx.conf'), '-p', dir, '-g', 'daemon off;'], { stdio: ['ignore', 'pipe', 'pipe'] });
  const printed: string[] = [];
  proc.stderr!.on('data', (c: Buffer) => printed.push(c.toString()));
  const errorLog = path.join(dir, 'error.log');
  const output = () => printed.join('') + (fs.existsSync(errorLog) ? fs.readFileSync(errorLog, 'utf8') : '');
  const stop = async () => {
    if (proc.exitCode !== null || proc.signalCode !== null) return;
    const exited = new Promise((r) => proc.once('exit', r));
    proc.kill('SIGTERM');
    await exited;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    if (proc.exitCode !== null) throw new Error(`nginx exited: ${output()}`);
    if (await ready().catch(() => false)) return { proc, output, stop };
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`nginx did not answer: ${output()}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }
}
