/**
 * deploy/nginx.conf finds a recreated game container. Compose gives a recreated container
 * (`docker compose up -d --force-recreate game1`, an image update) a new address under the same
 * name; an nginx that looked the names up once at start keeps sending /g1/ to the old address
 * until someone reloads it. Here the names game1…game4 exist only in a DNS server of the test's
 * own (dns-packet over UDP, standing in for Docker's 127.0.0.11, which the file's `resolver`
 * line names), and game1 is a real game process on one loopback address, then another one on
 * a second address after the first is stopped: a student opens a room through /g1/ before and
 * after, without nginx being reloaded.
 *
 * Changed from the file (support/nginx.ts, and here): the listen addresses, the certificate,
 * `http2 on;` dropped, and the pool's `resolve` parameters dropped (Debian 12's nginx 1.22
 * predates both; the compose file runs 1.28, which has them), the pool's servers given as
 * addresses (without `resolve`, nginx 1.22 would look them up once at start, and only this
 * test's DNS knows the names); the resolver is this test's DNS server, its `valid` 1 s instead
 * of 10 s. The /gN/ locations, what this test is about, are the file's own.
 *
 * Skipped, saying why, without nginx or openssl.
 */
import dgram from 'node:dgram';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import dnsPacket from 'dns-packet';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Person } from './helpers.ts';
import { spawnServer, type ServerProcess } from './process.ts';
import { nginxMissing, startNginx, type Nginx } from './support/nginx.ts';
import { freePort } from './support/services.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const missing = nginxMissing();
if (missing) console.warn(`deploy-nginx-resolve.test.ts skipped: ${missing}`);

/** What the DNS server answers for each name: an IPv4 address (the test changes it, as Docker does). */
const records = new Map<string, string>();
let dns: dgram.Socket | undefined;
let nginx: Nginx | undefined;
const servers: ServerProcess[] = [];
let dir = '';
let base = '';
let gamePort = 0;
let lookups = 0;

/** A game process as the compose file runs it, on its own loopback address (its container's). */
function gameProcess(address: string): Promise<ServerProcess> {
  return spawnServer({ HOST: address, PORT: String(gamePort), DB_PATH: path.join(dir, `${address}.db`), PUBLIC_URL: base });
}

beforeAll(async () => {
  if (missing) return;
  process.env.NODE_TLS_REJECT_UNAUTHORIZED = '0'; // our own self-signed certificate, while this file's tests run (afterAll undoes it)
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-resolve-'));
  const [tlsPort, httpPort, dnsPort] = [await freePort(), await freePort(), await freePort()];
  gamePort = await freePort();
  base = `https://127.0.0.1:${tlsPort}`;

  dns = dgram.createSocket('udp4');
  dns.on('message', (message, peer) => {
    const query = dnsPacket.decode(message);
    const question = query.questions?.[0];
    const address = question && question.type === 'A' ? records.get(question.name) : undefined;
    lookups++;
    const answer = dnsPacket.encode({
      type: 'response',
      id: query.id,
      flags: dnsPacket.RECURSION_DESIRED | dnsPacket.RECURSION_AVAILABLE | (address || !question ? 0 : 3), // 3: NXDOMAIN
      questions: query.questions,
      answers: address ? [{ type: 'A', name: question!.name, ttl: 1, data: address }] : [],
    });
    dns!.send(answer, peer.port, peer.address);
  });
  await new Promise<void>((resolve) => dns!.bind(dnsPort, '127.0.0.1', resolve));

  // game1 runs; the others' names do not resolve (their locations are not used here).
  servers.push(await gameProcess('127.0.0.2'));
  records.set('game1', '127.0.0.2');

  const original = fs.readFileSync(path.join(root, 'deploy/nginx.conf'), 'utf8');
  expect(original).toContain('resolver 127.0.0.11 valid=10s ipv6=off;');
  nginx = await startNginx(
    dir,
    { tlsPort, httpPort },
    (conf) =>
      conf
        .replace('resolver 127.0.0.11 valid=10s', `resolver 127.0.0.1:${dnsPort} valid=1s`)
        .replace(/^( {2}server )game[1-4]:2567 resolve /gm, `$1127.0.0.2:${gamePort} `)
        .replace(/set \$game (game[1-4]):2567;/g, `set $game $1:${gamePort};`),
    async () => fs.existsSync(path.join(dir, 'nginx.pid')),
  );
}, 120_000);

afterAll(async () => {
  delete process.env.NODE_TLS_REJECT_UNAUTHORIZED;
  await nginx?.stop();
  for (const s of servers) await s.stop().catch(() => undefined);
  dns?.close();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/** Which game process answers /g1/ now (its process id), or undefined while none does. */
async function processBehindG1(): Promise<string | undefined> {
  const res = await fetch(`${base}/g1/api/health`).catch(() => undefined);
  if (!res?.ok) return undefined;
  return ((await res.json()) as { process: string }).process;
}

/** Polls an asynchronous probe until it gives a value (fetch answers are promises, which `until` does not wait for). */
async function eventually<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function processIdOf(server: ServerProcess, address: string): Promise<string> {
  const res = await fetch(`http://${address}:${server.port}/api/health`);
  return ((await res.json()) as { process: string }).process;
}

describe.skipIf(missing)(`deploy/nginx.conf and a recreated game container${missing ? ` (skipped: ${missing})` : ''}`, () => {
  it('reaches game1 at its new address through /g1/ without a reload: a student opens a room there before and after', async () => {
    const wss = `${base.replace('https', 'wss')}/g1`;
    const first = await processIdOf(servers[0]!, '127.0.0.2');
    expect(await eventually('/g1/ answering', processBehindG1, 10_000)).toBe(first);
    const before = await Person.create(wss, 'Ada');
    expect(before.room.roomId).toMatch(/^[A-Z0-9]{5}$/);
    await before.leave();

    // The container is recreated: the old one stops, the new one comes up at another address.
    await servers[0]!.stop();
    servers.push(await gameProcess('127.0.0.3'));
    records.set('game1', '127.0.0.3');
    const second = await processIdOf(servers[1]!, '127.0.0.3');
    expect(second).not.toBe(first);
    const lookupsBefore = lookups;

    // nginx, never reloaded, asks the DNS again and sends /g1/ to the new process.
    expect(await eventually('/g1/ reaching the new process', async () => ((await processBehindG1()) === second ? true : undefined), 20_000)).toBe(true);
    expect(lookups).toBeGreaterThan(lookupsBefore);
    const after = await Person.create(wss, 'Bea');
    expect(after.room.roomId).toMatch(/^[A-Z0-9]{5}$/);
    await after.leave();
  });
});
