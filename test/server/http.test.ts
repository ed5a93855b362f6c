/**
 * One port for everything: the built client, the HTTP API and the websocket. Class creation
 * is rate-limited; results need the teacher secret.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, createClass, Person, type TestServer } from './helpers.ts';

let t: TestServer;
const clientDir = fs.mkdtempSync(path.join(os.tmpdir(), 'heist-client-'));
beforeAll(async () => {
  fs.writeFileSync(path.join(clientDir, 'index.html'), '<!doctype html><title>Handshake Heist</title>');
  fs.writeFileSync(path.join(clientDir, 'app.js'), 'console.log(1)');
  t = await bootServer({ clientDir, limits: { classesPerHour: 2 } });
});
afterAll(async () => {
  await t.close();
});

describe('the HTTP side', () => {
  it('serves the built client, deep links included, beside the websocket on the same port', async () => {
    const index = await fetch(`${t.http}/`);
    expect(index.status).toBe(200);
    expect(await index.text()).toContain('Handshake Heist');
    expect(await (await fetch(`${t.http}/app.js`)).text()).toBe('console.log(1)');
    expect(await (await fetch(`${t.http}/join/ABCDE`)).text()).toContain('Handshake Heist');
    expect((await fetch(`${t.http}/api/nope`)).status).toBe(404);
    const p = await Person.create(t.url, 'SamePort');
    expect(p.room.roomId).toMatch(/^[A-Z2-9]{5}$/);
    await p.leave();
  });

  it('rate-limits class creation per address, and hides whether a class exists from the wrong secret', async () => {
    const first = await createClass(t.http);
    await createClass(t.http);
    const third = await fetch(`${t.http}/api/classes`, { method: 'POST' });
    expect(third.status).toBe(429);
    const withKey = (key: string) => ({ headers: { 'X-Teacher-Secret': key } });
    expect((await fetch(`${t.http}/api/classes/ZZZZZ/results.csv`, withKey('x'))).status).toBe(403);
    expect((await fetch(`${t.http}/api/classes/${first.code}/results.csv`, withKey('x'))).status).toBe(403);
    // The secret in the URL is not accepted (URLs end up in logs and browser history).
    expect((await fetch(`${t.http}/api/classes/${first.code}/results.csv?secret=${encodeURIComponent(first.teacherSecret)}`)).status).toBe(403);
    const ok = await fetch(`${t.http}/api/classes/${first.code.toLowerCase()}/results.csv`, withKey(first.teacherSecret));
    expect(ok.status).toBe(200);
    expect((await ok.text()).trim()).toBe('round,level,room,outcome,role,player,team,points,ended_at,shared_by,team_points,match,attacker,event,misconceptions');
  });
});
