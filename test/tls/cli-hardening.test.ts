/**
 * `npm run tls -- serve` facing a hostile peer on the network: a ClientHello whose server name
 * carries terminal escape sequences is printed with them escaped; the bank listens on this
 * machine only unless `--host` widens it; a client dribbling one byte at a time cannot hold a
 * socket past the handshake deadline.
 */
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { main, type Io, type Serving } from '../../tools/tls/cli.ts';
import { engineServer } from '../../tools/tls/serve.ts';
import { printable } from '../../tools/tls/terminal.ts';
import { bankFor, context } from './support.ts';

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
function tempDir(): string {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-tls-'));
  dirs.push(d);
  return d;
}
function io(): Io & { lines: string[]; errors: string[] } {
  const lines: string[] = [];
  const errors: string[] = [];
  return { lines, errors, out: (l) => lines.push(l), err: (l) => errors.push(l) };
}
const until = async (what: string, probe: () => boolean, ms = 10_000) => {
  const deadline = Date.now() + ms;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
};

describe('npm run tls -- serve, against a hostile peer', () => {
  it('prints a server name with escape sequences escaped, never raw', async () => {
    const dir = tempDir();
    const server = io();
    const serving = (await main(['serve', '--level', '5', '--port', '0', '--dir', dir], server)) as Serving;
    try {
      const hostile = 'evil\u001b]0;pwned\u0007\u001b[2J\nserving https://bank.example:1/';
      await main(['connect', '--level', '5', '--host', '127.0.0.1', '--port', String(serving.port), '--name', hostile, '--ca', path.join(dir, 'root.pem')], io());
      await until('the failed connection', () => server.lines.some((l) => l.startsWith('connection failed')));
      const line = server.lines.find((l) => l.startsWith('connection failed'))!;
      expect(line).toBe('connection failed: the ClientHello asked for evil\\x1b]0;pwned\\x07\\x1b[2J\\x0aserving https://bank.example:1/, which this server is not');
      expect(server.lines.join('\n')).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f]/);
    } finally {
      await serving.close();
    }
    expect(printable('a\u202eb\u0085c')).toBe('a\\u{202e}b\\x85c');
  });

  it('listens on 127.0.0.1 unless --host widens it', async () => {
    const local = (await main(['serve', '--level', '4e', '--port', '0', '--dir', tempDir()], io())) as Serving & { address?: string };
    const probe = await new Promise<string>((resolve) => {
      const s = net.connect({ host: '127.0.0.1', port: local.port }, () => resolve(s.localAddress ?? '')).on('error', () => resolve('refused'));
      s.on('connect', () => s.destroy());
    });
    expect(probe).toBe('127.0.0.1');
    // Not reachable on the machine's other addresses.
    const lan = Object.values(os.networkInterfaces()).flat().find((i) => i && i.family === 'IPv4' && !i.internal)?.address;
    if (lan) {
      const outcome = await new Promise<string>((resolve) => {
        const s = net.connect({ host: lan, port: local.port }, () => {
          s.destroy();
          resolve('connected');
        });
        s.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? 'error'));
      });
      expect(outcome).toBe('ECONNREFUSED');
    }
    await local.close();
  });

  it('drops a client that dribbles its handshake one byte at a time, at the handshake deadline', async () => {
    const server = engineServer(bankFor(5, 'dribble'), { context: () => context('dribble'), idleMs: 1000, handshakeMs: 1500 });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    const port = (server.address() as net.AddressInfo).port;
    const socket = net.connect({ host: '127.0.0.1', port });
    const opened = Date.now();
    // A TLS record header, one byte every 300 ms: never idle for the 1 s idle timer.
    const bytes = [0x16, 0x03, 0x01, 0x02, 0x00, 0x01, 0x00, 0x01, 0xfc, 0x03, 0x03, ...Array(40).fill(0)];
    let i = 0;
    const drip = setInterval(() => {
      if (!socket.destroyed) socket.write(Buffer.from([bytes[i++ % bytes.length]!]));
    }, 300);
    const closedAfter = await new Promise<number>((resolve) => socket.on('close', () => resolve(Date.now() - opened)).on('error', () => undefined));
    clearInterval(drip);
    server.close();
    expect(closedAfter).toBeGreaterThanOrEqual(1400);
    expect(closedAfter).toBeLessThan(4000);
  });
});
