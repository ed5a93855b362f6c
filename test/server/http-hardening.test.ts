/**
 * What every browser and every sender meets at the HTTP layer: security headers the built
 * client satisfies, JSON errors without stack traces, no stack trace in the log per failed
 * join, requests and websockets from other sites' pages refused (an allow-list admits a
 * separate front end), and the addresses students can reach for the join link. (Its own
 * file: Colyseus allows one server per process.)
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { matchMaker } from '@colyseus/core';
import { reachableUrls } from '../../server/src/http/addresses.ts';
import { bootServer, createClass, Person, type TestServer } from './helpers.ts';
import { rawRequest } from './raw-http.ts';

const FRONT_END = 'http://localhost:5173';
let t: TestServer;
const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-client-'));
beforeAll(async () => {
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Handshake Heist</title>');
  fs.writeFileSync(path.join(clientDir, 'app.js'), 'console.log(1)');
  t = await bootServer({ clientDir, allowedOrigins: [FRONT_END] });
});
afterAll(async () => {
  await t.close();
});

const json = { 'Content-Type': 'application/json' };
const STACK = /\n\s+at \S/;

describe('security headers', () => {
  it('on the page, its files and the API: a CSP, nosniff, no framing, no referrer', async () => {
    for (const url of ['/', '/app.js', '/join/ABCDE', '/api/health']) {
      const res = await fetch(`${t.http}${url}`);
      expect(res.status, url).toBe(200);
      const csp = res.headers.get('content-security-policy') ?? '';
      expect(csp, url).toContain("default-src 'self'");
      expect(csp, url).toContain("script-src 'self'");
      expect(csp, url).toContain("frame-ancestors 'none'");
      expect(csp, url).not.toContain('unsafe-inline');
      expect(res.headers.get('x-content-type-options'), url).toBe('nosniff');
      expect(res.headers.get('x-frame-options'), url).toBe('DENY');
      expect(res.headers.get('referrer-policy'), url).toBe('no-referrer');
    }
    const matchmake = await rawRequest(t.server.port, { path: '/matchmake/joinById/ZZZZZ', headers: json, body: '{}' });
    expect(matchmake.headers['x-content-type-options']).toBe('nosniff');
  });
});

describe('errors', () => {
  it('an HTTP request that fails gets plain JSON, never a stack trace', async () => {
    const badJson = await fetch(`${t.http}/api/classes`, { method: 'POST', headers: json, body: '{"oops":' });
    expect(badJson.status).toBe(400);
    expect(badJson.headers.get('content-type')).toMatch(/application\/json/);
    const text = await badJson.text();
    expect(JSON.parse(text)).toEqual({ error: 'That request is not valid.' });
    expect(text).not.toMatch(STACK);
    const tooBig = await fetch(`${t.http}/api/classes`, { method: 'POST', headers: json, body: JSON.stringify({ x: 'y'.repeat(20_000) }) });
    expect(tooBig.status).toBe(413);
    expect(await tooBig.text()).not.toMatch(STACK);
  });

  it('failed joins of every kind leave no stack trace in the log', async () => {
    const host = await Person.create(t.url, 'Host');
    const { code } = await createClass(t.http);
    const client = new Client(t.url);
    await expect(client.joinById(host.room.roomId, { nickname: '!' })).rejects.toThrow(/nickname/);
    await expect(client.joinById(host.room.roomId, { nickname: 'host' })).rejects.toThrow(/already has that nickname/);
    await expect(client.joinById('ZZZZZ', { nickname: 'Lost' })).rejects.toThrow(/not found/);
    await expect(client.joinById(code, { teacherSecret: 'guess' })).rejects.toThrow(/teacher key/);
    await expect(client.joinById(code, { playerToken: 'guess' })).rejects.toThrow(/player token/);
    await expect(client.create('class', {})).rejects.toThrow(/No room or class/);
    // A websocket for a seat that was never reserved.
    const ws = new WebSocket(`${t.url}/${matchMaker.processId}/${host.room.roomId}?sessionId=forged`);
    await new Promise((resolve) => ws.once('close', resolve));
    expect(t.logs.filter((l) => STACK.test(l))).toEqual([]);
    await host.leave();
  });
});

describe('other sites', () => {
  /** Open a websocket with this Origin; resolves to 'open' or the HTTP status it was refused with. */
  const wsWithOrigin = (origin: string | undefined) =>
    new Promise<'open' | number>((resolve) => {
      const ws = new WebSocket(`${t.url}/${matchMaker.processId}/NOROOM?sessionId=x`, origin ? { origin } : {});
      ws.once('open', () => {
        resolve('open');
        ws.close();
      });
      ws.once('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
      ws.once('error', () => undefined);
    });

  it("a websocket from another site's page is refused; the page's own origin, the allow-list and non-browsers are not", async () => {
    expect(await wsWithOrigin('http://evil.example')).toBe(403);
    expect(await wsWithOrigin('null')).toBe(403);
    expect(await wsWithOrigin(`http://127.0.0.1:${t.server.port}`)).toBe('open');
    expect(await wsWithOrigin(FRONT_END)).toBe('open');
    expect(await wsWithOrigin(undefined)).toBe('open');
  });

  it("joins and API calls from another site's page are refused; the allowed front end gets CORS headers", async () => {
    const join = (origin: string) => rawRequest(t.server.port, { path: '/matchmake/joinById/ZZZZZ', headers: { ...json, Origin: origin }, body: '{"nickname":"Far"}' });
    const evil = await join('http://evil.example');
    expect(evil.status).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const front = await join(FRONT_END);
    expect(front.status).toBe(200);
    expect(front.headers['access-control-allow-origin']).toBe(FRONT_END);
    const preflight = await rawRequest(t.server.port, { method: 'OPTIONS', path: '/matchmake/joinById/ZZZZZ', headers: { Origin: FRONT_END, 'Access-Control-Request-Method': 'POST' } });
    expect(preflight.status).toBe(204);
    expect(preflight.headers['access-control-allow-origin']).toBe(FRONT_END);

    expect((await fetch(`${t.http}/api/classes`, { method: 'POST', headers: { Origin: 'http://evil.example' } })).status).toBe(403);
    const created = await fetch(`${t.http}/api/classes`, { method: 'POST', headers: { Origin: FRONT_END } });
    expect(created.status).toBe(201);
    expect(created.headers.get('access-control-allow-origin')).toBe(FRONT_END);
    const csvPreflight = await fetch(`${t.http}/api/classes/ZZZZZ/results.csv`, { method: 'OPTIONS', headers: { Origin: FRONT_END, 'Access-Control-Request-Headers': 'x-teacher-secret' } });
    expect(csvPreflight.status).toBe(204);
    expect(csvPreflight.headers.get('access-control-allow-headers')).toMatch(/X-Teacher-Secret/i);
  });
});

describe('where students can reach the server', () => {
  it('GET /api/addresses lists the address and port the server listens on', async () => {
    const res = await fetch(`${t.http}/api/addresses`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ urls: [`http://127.0.0.1:${t.server.port}/`] });
  });

  const LAPTOP = {
    lo: [{ address: '127.0.0.1', family: 'IPv4', internal: true }],
    docker0: [{ address: '172.17.0.1', family: 'IPv4', internal: false }],
    wlan0: [
      { address: 'fe80::1c2b:3aff:fe4d:5e6f', family: 'IPv6', internal: false },
      { address: '2001:db8:42::17', family: 'IPv6', internal: false },
      { address: '192.168.1.23', family: 'IPv4', internal: false },
    ],
    eth0: [{ address: '10.20.0.5', family: 'IPv4', internal: false }],
  } as unknown as NodeJS.Dict<os.NetworkInterfaceInfo[]>;

  it("on all interfaces: the school network's IPv4 first, IPv6 after, virtual adapters later, loopback last", () => {
    expect(reachableUrls({ port: 2567, host: '0.0.0.0', interfaces: LAPTOP })).toEqual([
      'http://192.168.1.23:2567/',
      'http://10.20.0.5:2567/',
      'http://172.17.0.1:2567/',
      'http://127.0.0.1:2567/',
    ]);
    expect(reachableUrls({ port: 2567, host: '::', interfaces: LAPTOP })).toEqual([
      'http://192.168.1.23:2567/',
      'http://10.20.0.5:2567/',
      'http://172.17.0.1:2567/',
      'http://[2001:db8:42::17]:2567/',
      'http://127.0.0.1:2567/',
    ]);
  });

  it('PUBLIC_URL wins; a server bound to one address offers that one', () => {
    expect(reachableUrls({ port: 2567, host: '0.0.0.0', publicUrl: 'https://heist.school.example', interfaces: LAPTOP })).toEqual(['https://heist.school.example/']);
    expect(reachableUrls({ port: 8080, host: '192.168.1.23', interfaces: LAPTOP })).toEqual(['http://192.168.1.23:8080/']);
  });
});
