/**
 * Caps per address on open sockets, seat reservations and rooms: one machine (or a script)
 * cannot take what a class needs, a held-open socket flood cannot lock out the students
 * behind the same address, and the server keeps serving. Loopback addresses 127.0.0.x stand
 * for different networks. (Its own file: Colyseus allows one server per process.)
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { bootServer, Person, until, type TestServer } from './helpers.ts';
import { holdSockets, isClosed, rawRequest } from './raw-http.ts';

const SOCKETS = 16;
let t: TestServer;
beforeAll(async () => {
  t = await bootServer({ limits: { socketsPerAddress: SOCKETS, reservationsPerAddress: 3, roomsPerAddress: 2 } });
});
afterAll(async () => {
  await t.close();
});

const json = { 'Content-Type': 'application/json' };
const health = (from: string) => rawRequest(t.server.port, { method: 'GET', path: '/api/health', from });

/** `attempt` again while it fails with `refusal` (what is being waited for happens on the server's own time). */
async function retryWhile<T>(refusal: RegExp, attempt: () => Promise<T>, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      return await attempt();
    } catch (e) {
      if (!refusal.test(String((e as Error).message)) || Date.now() > deadline) throw e;
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

/** A request whose body never finishes: its connection stays busy. */
function slowRequest(from = '127.0.0.1'): { done: Promise<number>; stop(): void } {
  const req = http.request({ host: '127.0.0.1', port: t.server.port, method: 'POST', path: '/api/classes', localAddress: from, agent: false, headers: { ...json, 'Content-Length': '1000' } });
  req.on('error', () => undefined);
  const done = new Promise<number>((resolve) => {
    req.on('response', (res) => resolve(res.statusCode ?? 0));
    req.on('close', () => resolve(0));
  });
  req.write('{"a":');
  return { done, stop: () => req.destroy() };
}

describe('open sockets per address', () => {
  it('a held-open flood gives way to the students behind the same address; other addresses never notice', async () => {
    const host = await Person.create(t.url, 'Host');
    const flood = await holdSockets(t.server.port, 60);
    // The flood pushes out its own older sockets; the host's websocket is not idle and stays.
    await until('the flood trimmed to the cap', () => flood.filter((s) => !isClosed(s)).length <= SOCKETS - 1);
    const student = await Person.join(t.url, host.room.roomId, 'Student');
    await until('both in the room', () => host.state.members?.size === 2);
    host.send('setSpeed', { speed: 'x' });
    expect((await host.nextError()).code).toBe('invalid');
    expect((await health('127.0.0.2')).status).toBe(200);
    for (const s of flood) s.destroy();
    await Promise.all([host.leave(), student.leave()]);
  });

  it('when every socket of an address is busy, a newcomer from it is told why (503), and the rest keep working', async () => {
    const host = await Person.create(t.url, 'Busy');
    const slow = Array.from({ length: SOCKETS + 4 }, () => slowRequest());
    // The ones past the cap are answered at once.
    const answered = await Promise.race([Promise.all(slow.slice(SOCKETS - 1).map((s) => s.done)), new Promise<number[]>((r) => setTimeout(() => r([]), 5000))]);
    expect(answered).toEqual(Array(5).fill(503));
    await expect(new Client(t.url).joinById(host.room.roomId, { nickname: 'Late' })).rejects.toThrow(/too many connections from your network/);
    // The room that was already open keeps playing, and other addresses get in.
    host.send('setSpeed', { speed: 'x' });
    expect((await host.nextError()).code).toBe('invalid');
    expect((await health('127.0.0.2')).status).toBe(200);
    for (const s of slow) s.stop();
    // Once the busy connections are gone, the same address joins again.
    const late = await retryWhile(/too many connections/, () => Person.join(t.url, host.room.roomId, 'Late'));
    await until('the latecomer in', () => host.state.members?.size === 2);
    await Promise.all([host.leave(), late.leave()]);
  });
});

describe('seat reservations and rooms per address', () => {
  it('seats reserved and not taken up are capped per address; taking one up frees its place', async () => {
    const host = await Person.create(t.url, 'Keeper');
    const reserve = (nickname: string) =>
      rawRequest(t.server.port, { path: `/matchmake/joinById/${host.room.roomId}`, from: '127.0.0.7', headers: json, body: JSON.stringify({ nickname }) });
    const seats = [];
    for (const n of ['Aa', 'Bb', 'Cc']) {
      const res = await reserve(n);
      expect(res.status).toBe(200);
      seats.push(JSON.parse(res.text));
    }
    const fourth = await reserve('Dd');
    expect(fourth.status).toBe(429);
    expect(JSON.parse(fourth.text).error).toMatch(/still connecting/);
    expect((await rawRequest(t.server.port, { path: `/matchmake/joinById/${host.room.roomId}`, from: '127.0.0.8', headers: json, body: JSON.stringify({ nickname: 'Ee' }) })).status).toBe(200);
    const joined = await new Client(t.url).consumeSeatReservation(seats[0]);
    expect((await reserve('Dd')).status).toBe(200);
    await Promise.all([joined.leave(), host.leave()]);
  });

  it('rooms open at once are capped per address; closing one lets the next open', async () => {
    const from = '127.0.0.10';
    const open = async (method: string, roomName: string, nickname: string) => {
      const res = await rawRequest(t.server.port, { path: `/matchmake/${method}/${roomName}`, from, headers: json, body: JSON.stringify({ nickname }) });
      const body = JSON.parse(res.text);
      if (res.status !== 200 || body.error) throw new Error(`${res.status} ${body.error}`);
      return new Person(await new Client(t.url).consumeSeatReservation(body), nickname);
    };
    const first = await open('create', 'game', 'One');
    const second = await open('joinOrCreate', 'game', 'Two');
    expect(second.room.roomId).not.toBe(first.room.roomId);
    await expect(open('create', 'game', 'Three')).rejects.toThrow(/429 Too many rooms are open from your network/);
    await expect(open('joinOrCreate', 'game', 'Three')).rejects.toThrow(/429 Too many rooms/);
    // Joining someone else's room is not opening one; another network opens its own.
    const guest = await open('joinById', first.room.roomId, 'Guest');
    const elsewhere = await Person.create(t.url, 'Elsewhere');
    await Promise.all([first.leave(), guest.leave()]);
    const third = await retryWhile(/Too many rooms/, () => open('create', 'game', 'Three')); // until the empty room is disposed
    expect(third.room.roomId).not.toBe(first.room.roomId);
    await Promise.all([second.leave(), third.leave(), elsewhere.leave()]);
  });
});
