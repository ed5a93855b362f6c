/**
 * DNS rebinding: a page on evil.example, its name made to resolve to the teacher's laptop, is
 * the laptop's own origin to the browser; its requests say `Host: evil.example`. The server
 * answers only to its own names and addresses (and PUBLIC_URL), so such a page can neither
 * create classes, read the API, nor open a websocket.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { bootServer, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer({ publicUrl: 'https://heist.school.example' });
});
afterAll(async () => {
  await t.close();
});

function request(method: string, path: string, headers: Record<string, string>): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = http.request({ host: '127.0.0.1', port: t.server.port, method, path, headers, agent: false }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ status: res.statusCode!, body }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('DNS rebinding', () => {
  it('a page calling under a foreign name gets 421 and creates nothing; the server’s own names work', async () => {
    const evil = `evil.example:${t.server.port}`;
    const created = await request('POST', '/api/classes', { Host: evil, Origin: `http://${evil}` });
    expect(created.status).toBe(421);
    expect(JSON.parse(created.body)).toEqual({ code: 421, error: 'This server is not reached by that name: use its address (or set PUBLIC_URL to the name students use).' });
    expect((await request('GET', '/api/health', { Host: evil })).status).toBe(421);
    expect((await request('POST', '/matchmake/create/game', { Host: evil, Origin: `http://${evil}` })).status).toBe(421);

    for (const host of [`127.0.0.1:${t.server.port}`, `127.0.0.2:${t.server.port}`, `localhost:${t.server.port}`, 'heist.school.example']) expect((await request('GET', '/api/health', { Host: host })).status, host).toBe(200);
    expect((await request('POST', '/api/classes', { Host: `localhost:${t.server.port}`, Origin: `http://localhost:${t.server.port}` })).status).toBe(201);
  });

  it('a websocket under a foreign name is refused before it opens', async () => {
    const status = await new Promise<number>((resolve) => {
      const ws = new WebSocket(`ws://127.0.0.1:${t.server.port}/ABCDE?sessionId=x`, { headers: { Host: `evil.example:${t.server.port}`, Origin: `http://evil.example:${t.server.port}` } });
      ws.on('unexpected-response', (_req, res) => resolve(res.statusCode!));
      ws.on('open', () => resolve(101));
      ws.on('error', () => undefined);
    });
    expect(status).toBe(421);
  });
});
