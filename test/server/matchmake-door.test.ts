/**
 * The matchmaker's door: whatever Colyseus would route to its matchmaker (any URL containing
 * "/matchmake") has its body capped before anything parses it, and every request gets an
 * answer. (Its own file: Colyseus allows one server per process.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, Person, type TestServer } from './helpers.ts';
import { rawRequest } from './raw-http.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer();
});
afterAll(async () => {
  await t.close();
});

/** Every shape of path that Colyseus 0.16 hands to its matchmaker. */
const SHAPES = ['/matchmake/joinById/ZZZZZ', '/x/matchmake/joinById/ZZZZZ', '//matchmake/joinById/ZZZZZ', '/api/matchmake/joinById/ZZZZZ', '/?q=/matchmake/joinById/ZZZZZ'];
const json = { 'Content-Type': 'application/json' };

describe('request bodies on the way to the matchmaker', () => {
  it('a 20 MB upload is refused (413) after a few KB, without the server holding it, while a room keeps answering', async () => {
    const player = await Person.create(t.url, 'Steady');
    const rssBefore = process.memoryUsage().rss;
    const upload = rawRequest(t.server.port, { path: '/matchmake/joinById/ZZZZZ', headers: { ...json, 'Transfer-Encoding': 'chunked' }, stream: 20 * 2 ** 20, timeoutMs: 10_000 });
    player.send('setSpeed', { speed: 'fast' }); // an invalid message: the room must answer it
    const answer = await player.nextError();
    expect(answer.code).toBe('invalid');
    const res = await upload;
    expect(res.status).toBe(413);
    expect(JSON.parse(res.text)).toEqual({ code: 413, error: 'That request is too large.' });
    // The refusal came long before the body could have been read: the sender was stopped, not drained.
    expect(res.sentBeforeResponse).toBeLessThan(10 * 2 ** 20);
    expect(process.memoryUsage().rss - rssBefore).toBeLessThan(10 * 2 ** 20);
    // And the room still plays.
    player.send('setSpeed', { speed: 'faster' });
    expect((await player.nextError()).code).toBe('invalid');
    await player.leave();
  });

  it('a declared 200 MB body is refused at once, from its Content-Length', async () => {
    const res = await rawRequest(t.server.port, {
      path: '/matchmake/create/game',
      headers: { ...json, 'Content-Length': String(200 * 2 ** 20) },
      stream: 64 * 1024, // the first bit of it; the refusal must not wait for the rest
      timeoutMs: 3000,
    });
    expect(res.status).toBe(413);
  });

  it.each(SHAPES)('every path Colyseus routes is capped: %s', async (path) => {
    const res = await rawRequest(t.server.port, { path, headers: json, body: JSON.stringify({ nickname: 'x'.repeat(10_000) }) });
    expect(res.status).toBe(413);
  });

  it('a small body still reaches the matchmaker on every such path', async () => {
    for (const path of SHAPES) {
      const res = await rawRequest(t.server.port, { path, headers: json, body: JSON.stringify({ nickname: 'Probe' }) });
      expect(res.status, path).toBe(200);
      expect(JSON.parse(res.text).error, path).toMatch(/not found/);
    }
  });

  it('answers what the matchmaker cannot use, instead of leaving the request hanging', async () => {
    const put = await rawRequest(t.server.port, { method: 'PUT', path: '/matchmake/joinById/ZZZZZ', headers: json, body: '{}' });
    expect(put.status).toBe(404);
    const notJson = await rawRequest(t.server.port, { path: '/matchmake/joinById/ZZZZZ', headers: json, body: '{"nickname":' });
    expect(notJson.status).toBe(400);
    const notAnObject = await rawRequest(t.server.port, { path: '/matchmake/joinById/ZZZZZ', headers: json, body: '[1,2]' });
    expect(notAnObject.status).toBe(400);
    const unknownCall = await rawRequest(t.server.port, { path: '/matchmake/deleteEverything/game', headers: json, body: '{}' });
    expect(unknownCall.status).toBe(404);
    for (const res of [put, notJson, unknownCall]) expect(res.text).not.toMatch(/\n\s+at /);
  });
});
