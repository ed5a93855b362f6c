/**
 * Seat reservations must not lock a room. Colyseus reserves a seat for every matchmaking call
 * it accepts, for 15 s, before any websocket arrives; a room's checks used to run only at that
 * websocket. A student with the class's room code asked 40 times without a ticket and the
 * class's game room was full for everyone else. Played over real HTTP and websockets.
 */
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootServer, createClass, Lobbyist, Person, until, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer();
});
afterAll(async () => {
  await t.close();
});

/** A matchmaking call as colyseus.js makes it, but nobody opens the websocket afterwards. */
async function reserve(code: string, options: Record<string, unknown>): Promise<{ sessionId?: string; code?: number; error?: string }> {
  const res = await fetch(`${t.http}/matchmake/joinById/${code}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(options) });
  expect(res.status).toBe(200);
  return (await res.json()) as { sessionId?: string; code?: number; error?: string };
}

/** A class of two students in two teams, its match started: the students have their seats' tickets. */
async function matchOfTwo(...nicknames: [string, string]): Promise<Lobbyist[]> {
  const { code, teacherSecret } = await createClass(t.http);
  const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
  const students = [await Lobbyist.join(t.url, code, { nickname: nicknames[0] }), await Lobbyist.join(t.url, code, { nickname: nicknames[1] })];
  await until('two students', () => teacher.state.students.size === 2);
  teacher.send('autoBalance', { teamCount: 2 });
  await until('two teams', () => teacher.state.teams.size === 2);
  teacher.send('startMatch');
  await until('assignments', () => students.every((s) => s.assignments.length === 1));
  return students;
}

describe('seat reservations', () => {
  it('40 asks without a ticket are refused at once and hold no seat: the class’s students still get in', async () => {
    const students = await matchOfTwo('Ada', 'Alan');
    const roomCode = students[0]!.assignments[0]!.roomCode;

    const answers = await Promise.all(Array.from({ length: 40 }, (_, i) => reserve(roomCode, i % 2 ? { nickname: `Lurker${i}` } : { nickname: `Lurker${i}`, ticket: 'not-a-ticket' })));
    for (const a of answers) expect(a).toEqual({ code: 4203, error: 'That seat ticket is not valid for this match.' });

    // The real students take their seats.
    const people = await Promise.all(students.map((s, i) => Person.join(t.url, roomCode, ['Ada', 'Alan'][i]!, { ticket: s.assignments[0]!.ticket })));
    await until('both seated', () => people.every((p) => p.view !== undefined));
    expect(people.map((p) => p.view!.role).sort()).toEqual([...students.map((s) => s.assignments[0]!.role)].sort());
    await Promise.all(people.map((p) => p.leave()));
  });

  it('one ticket cannot hold more than two seats that nobody takes up', async () => {
    const students = await matchOfTwo('Grace', 'Edsger');
    const { roomCode, ticket } = students[0]!.assignments[0]!;

    const answers = [];
    for (let i = 0; i < 10; i++) answers.push(await reserve(roomCode, { ticket }));
    expect(answers.slice(0, 2).every((a) => typeof a.sessionId === 'string')).toBe(true);
    for (const a of answers.slice(2)) expect(a).toEqual({ code: 4208, error: 'You are already on your way into this room: wait a moment.' });
  });

  it('one network holds at most 20 of a casual room’s 40 seats as reservations; another network still gets in', async () => {
    const host = await Person.create(t.url, 'Host');
    const code = host.room.roomId;
    // Nicknames are checked at the reservation too: a bad one, or one somebody is already joining under.
    expect(await reserve(code, { nickname: '' })).toMatchObject({ code: 4201 });
    expect(await reserve(code, { nickname: 'Host' })).toEqual({ code: 4202, error: 'Someone here already has that nickname.' });
    const answers = [];
    for (let i = 0; i < 30; i++) answers.push(await reserve(code, { nickname: `Filler${i}` }));
    expect(answers.filter((a) => typeof a.sessionId === 'string')).toHaveLength(20);
    for (const a of answers.slice(20)) expect(a).toEqual({ code: 4209, error: 'Too many people from your network are still connecting to this room: try again in a few seconds.' });
    // From another address (127.0.0.2), a seat is still there.
    const elsewhere = await new Promise<string>((resolve, reject) => {
      const req = http.request({ host: '127.0.0.1', port: t.server.port, localAddress: '127.0.0.2', method: 'POST', path: `/matchmake/joinById/${code}`, headers: { 'Content-Type': 'application/json' } }, (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve(text));
      });
      req.on('error', reject);
      req.end(JSON.stringify({ nickname: 'Friend' }));
    });
    expect(JSON.parse(elsewhere)).toMatchObject({ sessionId: expect.any(String), room: { roomId: code } });
    await host.leave();
  });
});
