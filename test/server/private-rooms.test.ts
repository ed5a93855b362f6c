/**
 * Rooms and classes are reachable by their code only: join / joinOrCreate by room name never
 * lands anyone in a stranger's room or class. Real colyseus.js clients. (Its own file:
 * Colyseus allows one server per process.)
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { bootServer, createClass, Lobbyist, Person, until, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer();
});
afterAll(async () => {
  await t.close();
});

describe('rooms without a code', () => {
  it("join('game') finds no room, and joinOrCreate('game') opens a new one of the stranger's own", async () => {
    const host = await Person.create(t.url, 'Host');
    const stranger = new Client(t.url);
    await expect(stranger.join('game', { nickname: 'Stranger' })).rejects.toThrow(/no rooms found/);
    const own = await stranger.joinOrCreate('game', { nickname: 'Stranger' });
    expect(own.roomId).not.toBe(host.room.roomId);
    await until('the host alone in the room', () => host.state.members?.size === 1);
    expect([...host.state.members.values()].map((m: any) => m.nickname)).toEqual(['Host']);
    // The code still works, for whoever was given it.
    const friend = await Person.join(t.url, host.room.roomId, 'Friend');
    await until('the friend in the room', () => host.state.members?.size === 2);
    await Promise.all([host.leave(), friend.leave(), own.leave()]);
  });

  it("join('class') and joinOrCreate('class') reach no class; the code does", async () => {
    const { code, teacherSecret } = await createClass(t.http);
    const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
    const stranger = new Client(t.url);
    await expect(stranger.join('class', { nickname: 'Stranger' })).rejects.toThrow(/no rooms found/);
    await expect(stranger.joinOrCreate('class', { nickname: 'Stranger' })).rejects.toThrow(/No room or class with that code/);
    await expect(stranger.create('class', { nickname: 'Stranger' })).rejects.toThrow(/No room or class with that code/);
    const student = await Lobbyist.join(t.url, code, { nickname: 'Invited' });
    await until('the invited student in the class', () => teacher.state.students?.size === 1);
    expect([...teacher.state.students.values()].map((s: any) => s.nickname)).toEqual(['Invited']);
    await Promise.all([teacher.room.leave(), student.room.leave()]);
  });
});
