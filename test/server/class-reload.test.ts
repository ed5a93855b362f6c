/**
 * A student reloads mid-round, over real websockets. The page that comes back may reach the
 * game room two ways at once: with the room's reconnection token, and with the seat ticket the
 * class lobby sends again on reconnecting. Whichever arrives second must not leave a connection
 * the room knows nothing of (an empty "Game room", a bot in the student's seat): a connection
 * replaced by the same student's newer one cannot come back with its old token.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { CLOSE_CODES } from '@heist/shared';
import { bootServer, createClass, Lobbyist, Person, until, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  // Long enough a round that it is still being played when the student reloads.
  t = await bootServer({ timing: { reconnectSeconds: 20, prepareMs: 60_000, seatingGraceMs: 200 } });
});
afterAll(async () => {
  await t.close();
});

async function classInARound(): Promise<{ teacher: Lobbyist; ada: Lobbyist; seat: Person; ticket: string; roomCode: string }> {
  const { code, teacherSecret } = await createClass(t.http);
  const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
  const ada = await Lobbyist.join(t.url, code, { nickname: 'Ada' });
  const whit = await Lobbyist.join(t.url, code, { nickname: 'Whit' });
  await until('welcomes', () => ada.welcome && whit.welcome);
  teacher.send('formTeams', { teams: [[ada.welcome!.playerId], [whit.welcome!.playerId]] });
  await until('teams', () => teacher.state.teams.size === 2);
  teacher.send('setLevels', { levels: [4] });
  await until('levels', () => teacher.state.levels.join() === '4');
  teacher.send('startMatch');
  const { roomCode, ticket } = await until('Ada’s assignment', () => ada.assignments[0]);
  const seat = await Person.join(t.url, roomCode, 'Ada', { ticket });
  await until('Ada’s view', () => seat.view?.role === 'client');
  return { teacher, ada, seat, ticket, roomCode };
}

/** What the room holds for Ada: her members (connections) and their seats. */
function adaInRoom(person: Person): { role: string; connected: boolean }[] {
  return [...person.state.members.values()].filter((m: any) => m.nickname === 'Ada').map((m: any) => ({ role: m.role, connected: m.connected }));
}

describe('a student reloading mid-round', () => {
  it('ticket first, then the old token: the old token is refused, and the ticket’s connection keeps her seat', async () => {
    const { seat, ticket, roomCode } = await classInARound();
    const token = seat.room.reconnectionToken;
    await seat.room.leave(false); // the page unloads: the socket drops without a leave
    const again = await Person.join(t.url, roomCode, 'Ada', { ticket });
    await until('her view on the new connection', () => again.view?.role === 'client');
    await expect(new Client(t.url).reconnect(token)).rejects.toThrow();
    expect(adaInRoom(again)).toEqual([{ role: 'client', connected: true }]);
    expect(again.state.seats.get('client').bot).toBe(false);
    await again.leave();
  });

  it('the old token first, then the ticket: the reconnected connection is told it was replaced, the newer one plays', async () => {
    const { seat, ticket, roomCode } = await classInARound();
    const token = seat.room.reconnectionToken;
    await seat.room.leave(false);
    const back = new Person(await new Client(t.url).reconnect(token), 'Ada');
    const again = await Person.join(t.url, roomCode, 'Ada', { ticket });
    await until('the reconnected one is closed', () => back.left);
    expect(back.left).toBe(CLOSE_CODES.replaced);
    await until('her view on the new connection', () => again.view?.role === 'client');
    expect(adaInRoom(again)).toEqual([{ role: 'client', connected: true }]);
    await again.leave();
  });
});
