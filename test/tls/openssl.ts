/**
 * OpenSSL's own command lines as the tests' other implementation: `openssl s_server` on an
 * ephemeral port (it prints `ACCEPT <address>:<port>` once listening), `openssl s_client`, and
 * raw bytes sent to any port with everything the peer answers until it closes. Tests that use
 * them are skipped, saying so, where no `openssl` is installed.
 */
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const hasOpenssl = (() => {
  try {
    execFileSync('openssl', ['version']);
    return true;
  } catch {
    return false;
  }
})();

/** A one-shot openssl command (x509, verify, …): its output, stdout and stderr together, and whether it exited 0. */
export function opensslRun(args: string[]): { ok: boolean; output: string } {
  try {
    return { ok: true, output: execFileSync('openssl', args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }) };
  } catch (e) {
    const err = e as { stdout?: string; stderr?: string };
    return { ok: false, output: `${err.stdout ?? ''}${err.stderr ?? ''}` };
  }
}

/** A directory for PEM files (and any other: a capture), removed by `cleanup`. */
export function pemDir(): { dir: string; file(name: string, text: string | Uint8Array): string; cleanup(): void } {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-openssl-'));
  return {
    dir,
    file: (name, text) => {
      const p = path.join(dir, name);
      fs.writeFileSync(p, text);
      return p;
    },
    cleanup: () => fs.rmSync(dir, { recursive: true, force: true }),
  };
}

export interface OpensslProcess {
  child: ChildProcessWithoutNullStreams;
  /** Everything printed so far, stdout and stderr together. */
  output(): string;
  /** Resolves once the output matches `pattern` (rejects if the process ends first). */
  waitFor(pattern: RegExp): Promise<RegExpMatchArray>;
  /** Resolves with the exit code once the process has ended. */
  exited: Promise<number | null>;
  stop(): Promise<void>;
}

export function openssl(args: string[], cwd?: string): OpensslProcess {
  const child = spawn('openssl', args, { stdio: ['pipe', 'pipe', 'pipe'], ...(cwd ? { cwd } : {}) });
  let text = '';
  const waiters: (() => void)[] = [];
  const seen = (chunk: Buffer) => {
    text += chunk.toString('latin1');
    waiters.splice(0).forEach((w) => w());
  };
  child.stdout.on('data', seen);
  child.stderr.on('data', seen);
  let ended = false;
  const exited = new Promise<number | null>((resolve) =>
    child.on('close', (code) => {
      ended = true;
      waiters.splice(0).forEach((w) => w());
      resolve(code);
    }),
  );
  const waitFor = (pattern: RegExp) =>
    new Promise<RegExpMatchArray>((resolve, reject) => {
      const check = () => {
        const m = pattern.exec(text);
        if (m) resolve(m);
        else if (ended) reject(new Error(`openssl ${args[0]} ended before printing ${pattern}:\n${text}`));
        else waiters.push(check);
      };
      check();
    });
  return {
    child,
    output: () => text,
    waitFor,
    exited,
    stop: async () => {
      if (!ended) child.kill();
      await exited;
    },
  };
}

/** `openssl s_server -accept 0 …` (in `cwd`, where `-HTTP` finds its files), resolved once it listens, with the port it took. */
export async function sServer(args: string[], cwd?: string): Promise<OpensslProcess & { port: number }> {
  const server = openssl(['s_server', '-accept', '0', ...args], cwd);
  const m = await server.waitFor(/ACCEPT .*:(\d+)\n/);
  return { ...server, port: Number(m[1]) };
}

/** Sends `bytes` to a port and collects every byte the peer sends back until it closes. */
export function rawExchange(port: number, bytes: Uint8Array): Promise<number[]> {
  return new Promise((resolve) => {
    const got: number[] = [];
    const socket = net.connect({ host: '127.0.0.1', port }, () => socket.write(bytes));
    socket.on('data', (d: Buffer) => got.push(...d));
    socket.on('close', () => resolve(got));
    socket.on('error', () => undefined);
  });
}

/**
 * `openssl s_client -brief -crlf …` asking `GET /` of `name`: resolves with everything it printed
 * once the page's `until` text arrived (then its input ends, and so does the connection), or once
 * it ended by itself.
 */
export async function sClientGet(port: number, caFile: string, name: string, extra: string[], until: RegExp): Promise<string> {
  const client = openssl(['s_client', '-connect', `127.0.0.1:${port}`, '-servername', name, '-CAfile', caFile, '-verify_return_error', '-brief', '-crlf', ...extra]);
  client.child.stdin.write(`GET / HTTP/1.1\nHost: ${name}\n\n`);
  await Promise.race([client.waitFor(until).catch(() => undefined), client.exited]);
  client.child.stdin.end();
  await client.exited;
  return client.output();
}

/** `openssl s_server`'s arguments for a bank: its certificate and key, and (`-cert_chain`) the intermediates it sends after it, where it has any. */
export function sServerCertificate(files: ReturnType<typeof pemDir>, name: string, bank: { certificatePem: string; chainPem: string; keyPem: string }): string[] {
  const leaf = bank.certificatePem.slice(0, bank.certificatePem.indexOf('-----END CERTIFICATE-----') + '-----END CERTIFICATE-----\n'.length);
  const chain = bank.chainPem === '' ? [] : ['-cert_chain', files.file(`${name}-chain.pem`, bank.chainPem)];
  return ['-cert', files.file(`${name}.pem`, leaf), '-key', files.file(`${name}.key`, bank.keyPem), ...chain];
}
