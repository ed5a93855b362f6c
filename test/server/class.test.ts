/**
 * Class play end to end: a teacher creates a class over HTTP, eight students join its lobby,
 * two teams are formed, a two-round match is played in a game room (roles swapped between
 * rounds), the leaderboard is checked against the rounds' results, and the CSV is exported.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchMaker } from '@colyseus/core';
import { ROLES, ROOM, type Role, type RoundResult } from '@heist/shared';
import { autoPilot, BOTS, bootServer, createClass, Lobbyist, Person, until, type TestServer } from './helpers.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer();
});
afterAll(async () => {
  await t.close();
});

const NAMES = ['Ada', 'Grace', 'Alan', 'Radia', 'Whit', 'Martin', 'Shafi', 'Silvio'];

describe('a class', () => {
  it('runs a two-round match between two teams with roles swapped, keeps a leaderboard and exports CSV', async () => {
    const { code, teacherSecret } = await createClass(t.http);
    expect(code).toMatch(/^[A-Z2-9]{5}$/);

    await expect(Lobbyist.join(t.url, code, { teacherSecret: 'not-the-secret' })).rejects.toThrow(/teacher key/);
    const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
    const students: Lobbyist[] = [];
    for (const nickname of NAMES) students.push(await Lobbyist.join(t.url, code, { nickname }));
    await until('eight students', () => teacher.state.students.size === 8);
    await expect(Lobbyist.join(t.url, code, { nickname: 'ada' })).rejects.toThrow(/already has that nickname/);
    for (const s of students) await until('welcome', () => s.welcome);
    const idOf = new Map(students.map((s, i) => [NAMES[i]!, s.welcome!.playerId]));

    // Students cannot run the class.
    students[0]!.send('startMatch');
    expect((await students[0]!.nextError()).code).toBe('notAllowed');
    students[0]!.send('autoBalance', { teamCount: 2 });
    expect((await students[0]!.nextError()).code).toBe('notAllowed');

    // Auto-balance gives two teams of four; then the teacher sets teams by hand.
    teacher.send('autoBalance', { teamCount: 2 });
    await until('two teams', () => teacher.state.teams.size === 2);
    expect([...teacher.state.teams.values()].map((tm: any) => tm.members.length)).toEqual([4, 4]);
    const redIds = NAMES.slice(0, 4).map((n) => idOf.get(n)!);
    const blueIds = NAMES.slice(4).map((n) => idOf.get(n)!);
    teacher.send('formTeams', { teams: [redIds, blueIds] });
    await until('teams by hand', () => [...teacher.state.teams.values()][0]?.members.join() === redIds.join());
    teacher.send('formTeams', { teams: [['nobody'], blueIds] });
    expect((await teacher.nextError()).code).toBe('notFound');
    teacher.send('setLevels', { levels: [1] });
    await until('levels', () => teacher.state.levels.join() === '1');

    teacher.send('startMatch');
    await until('assignments', () => students.every((s) => s.assignments.length === 1));
    await until('playing', () => teacher.state.status === 'playing');
    expect(teacher.state.totalRounds).toBe(2);
    const roomCode = students[0]!.assignments[0]!.roomCode;
    expect(students.every((s) => s.assignments[0]!.roomCode === roomCode)).toBe(true);

    // Round 1: Red defends (client, server, CA dealt round the four), Blue attacks.
    const round1 = new Map(students.map((s, i) => [NAMES[i]!, s.assignments[0]!.role]));
    expect(NAMES.slice(0, 4).map((n) => round1.get(n))).toEqual(['client', 'server', 'ca', 'client']);
    expect(NAMES.slice(4).every((n) => round1.get(n) === 'attacker')).toBe(true);

    // A ticket only works for its own match; a nickname alone does not get you in.
    await expect(Person.join(t.url, roomCode, 'Intruder')).rejects.toThrow(/ticket/);
    await expect(Person.join(t.url, roomCode, 'Intruder', { ticket: 'forged' })).rejects.toThrow(/ticket/);

    const players = await Promise.all(students.map((s, i) => Person.join(t.url, roomCode, NAMES[i]!, { ticket: s.assignments[0]!.ticket })));
    // The first person in each seat plays it (scripted); the others watch.
    const drive = (roles: Map<string, Role>) => {
      const seen = new Set<Role>();
      return players.flatMap((p, i) => {
        const role = roles.get(NAMES[i]!)!;
        if (seen.has(role)) return [];
        seen.add(role);
        return [autoPilot(p, BOTS, `class-${NAMES[i]}`)];
      });
    };
    let stops = drive(round1);

    const result1 = await until('round 1 result', () => players[0]!.views.find((v) => v.result)?.result, 30_000);
    await until('class saw round 1', () => teacher.state.matches.get(roomCode)?.phase === 'over');
    stops.forEach((s) => s());
    expect(teacher.state.matches.get(roomCode).outcome).toBe(result1.outcome);
    // Every seat holder saw the same result.
    for (const p of players) expect((await until('result', () => p.views.find((v) => v.result)?.result)).outcome).toBe(result1.outcome);
    for (const p of players) expect(p.view!.role).toBe(round1.get(p.nickname));

    // Round 2: sides swap.
    teacher.send('nextRound', { round: teacher.state.round, stop: false });
    await until('round 2 assignments', () => students.every((s) => s.assignments.length === 2));
    const round2 = new Map(students.map((s, i) => [NAMES[i]!, s.assignments[1]!.role]));
    expect(NAMES.slice(0, 4).every((n) => round2.get(n) === 'attacker')).toBe(true);
    expect(NAMES.slice(4).map((n) => round2.get(n))).toEqual(['client', 'server', 'ca', 'client']);
    expect(students.every((s) => s.assignments[1]!.roomCode === roomCode)).toBe(true);
    await until('seats moved', () => players.every((p) => p.state.members.get(p.room.sessionId)?.role === round2.get(p.nickname)));
    const viewsBefore = players.map((p) => p.views.length);
    stops = drive(round2);
    const result2 = await until(
      'round 2 result',
      () => players[0]!.views.slice(viewsBefore[0]).find((v) => v.result)?.result,
      30_000,
    );
    stops.forEach((s) => s());
    // Red attacked with the passive eavesdropper's moves: at level 1 she reads the PIN both times.
    expect([result1.outcome, result2.outcome]).toEqual(['eavesdropped', 'eavesdropped']);
    await until('match ended', () => teacher.state.status === 'ended');
    for (const p of players) expect(p.view!.role).toBe(round2.get(p.nickname));

    // Leaderboard: a team scores the seats it held; a player scores the seat they sat in.
    const defence = (r: RoundResult) => r.points.client + r.points.server + r.points.ca;
    const teams = [...teacher.state.teams.values()] as any[];
    expect(teams.map((tm) => tm.points)).toEqual([defence(result1) + result2.points.attacker, result1.points.attacker + defence(result2)]);
    for (const [i, name] of NAMES.entries()) {
      const expected = result1.points[round1.get(name)!] + result2.points[round2.get(name)!];
      expect(teacher.state.students.get(idOf.get(name)).points, name).toBe(expected);
      expect(students[i]!.state.students.get(idOf.get(name)).points).toBe(expected);
    }
    expect(result1.points).toEqual(expect.objectContaining(Object.fromEntries(ROLES.map((r) => [r, expect.any(Number)]))));

    // CSV: teacher only.
    expect((await fetch(`${t.http}/api/classes/${code}/results.csv`)).status).toBe(403);
    expect((await fetch(`${t.http}/api/classes/${code}/results.csv`, { headers: { 'X-Teacher-Secret': 'wrong' } })).status).toBe(403);
    const res = await fetch(`${t.http}/api/classes/${code}/results.csv`, { headers: { 'X-Teacher-Secret': teacherSecret } });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/text\/csv/);
    const lines = (await res.text()).trim().split('\r\n');
    expect(lines[0]).toBe('round,level,room,outcome,role,player,team,points,ended_at,shared_by,team_points,match,attacker,event,misconceptions');
    const rows = lines.slice(1).map((l) => l.split(','));
    expect(rows.length).toBe(16); // two rounds × eight students, no bot seats
    expect(rows.every((r) => r[11] === '1'), 'the class’s first match').toBe(true);
    for (const name of NAMES) {
      const mine = rows.filter((r) => r[5] === `"${name}"`);
      expect(mine.map((r) => r[4]), name).toEqual([`"${round1.get(name)}"`, `"${round2.get(name)}"`]);
      expect(mine.map((r) => Number(r[7]))).toEqual([result1.points[round1.get(name)!], result2.points[round2.get(name)!]]);
    }
    expect(rows.filter((r) => r[0] === '1').every((r) => r[3] === `"${result1.outcome}"`)).toBe(true);
    expect(rows.filter((r) => r[0] === '2').every((r) => r[3] === `"${result2.outcome}"`)).toBe(true);

    for (const p of players) await p.leave();
  });

  it('fills missing seats with bots, and lets the teacher pause, resume, remove a player and end', async () => {
    const { code, teacherSecret } = await createClass(t.http);
    const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
    const a = await Lobbyist.join(t.url, code, { nickname: 'Solo' });
    const b = await Lobbyist.join(t.url, code, { nickname: 'Duo' });
    await until('welcome', () => a.welcome && b.welcome);
    teacher.send('formTeams', { teams: [[a.welcome!.playerId], [b.welcome!.playerId]] });
    await until('teams', () => teacher.state.teams.size === 2);
    teacher.send('pause');
    expect((await teacher.nextError()).code).toBe('wrongPhase');
    teacher.send('startMatch');
    await until('assignments', () => a.assignments.length === 1 && b.assignments.length === 1);
    expect(a.assignments[0]!.role).toBe('client');
    expect(b.assignments[0]!.role).toBe('attacker');
    // A student whose browser reloads comes back with their token and gets the same seat again.
    await a.room.leave(true);
    const again = await Lobbyist.join(t.url, code, { playerToken: a.welcome!.playerToken });
    const resent = await until('assignment again', () => again.assignments[0]);
    expect(resent).toEqual(a.assignments[0]);
    const pa = await Person.join(t.url, a.assignments[0]!.roomCode, 'Solo', { ticket: a.assignments[0]!.ticket });
    await until('round running', () => pa.state.phase === 'playing');
    // The teacher's projector can watch the room: the public view, no seat, no say.
    const watch = await until('watch ticket', () => teacher.watches[0]);
    expect(watch.roomCode).toBe(a.assignments[0]!.roomCode);
    await expect(Person.join(t.url, watch.roomCode, 'Teacher', { ticket: a.assignments[0]!.ticket + 'x' })).rejects.toThrow(/ticket/);
    const projector = await Person.join(t.url, watch.roomCode, 'Teacher', { ticket: watch.ticket });
    await until('public view', () => projector.spectates.length > 0);
    expect(projector.spectates.at(-1)!.scope).toBe('public');
    expect(projector.views).toEqual([]);
    projector.send('action', { type: 'connect' });
    expect((await projector.nextError()).code).toBe('notAllowed');
    await projector.leave();
    expect(pa.state.seats.get('client').bot).toBe(false);
    expect(pa.state.seats.get('server').bot).toBe(true);
    expect(pa.state.seats.get('ca').bot).toBe(true);
    expect(pa.state.seats.get('attacker').bot).toBe(true); // Duo never opened the game room

    teacher.send('pause');
    await until('paused', () => teacher.state.status === 'paused' && pa.state.speed === 0);
    pa.send('action', { type: 'connect' });
    expect((await pa.nextError()).code).toBe('wrongPhase');
    teacher.send('resume');
    await until('resumed', () => teacher.state.status === 'playing' && pa.state.speed === 1);

    teacher.send('removePlayer', { playerId: b.welcome!.playerId });
    await until('removed', () => !teacher.state.students.has(b.welcome!.playerId));
    await until('kicked from lobby', () => b.room.connection.isOpen === false);
    await expect(Lobbyist.join(t.url, code, { playerToken: b.welcome!.playerToken })).rejects.toThrow(/removed/);

    teacher.send('endMatch');
    await until('ended', () => teacher.state.status === 'ended');
    teacher.send('nextRound', { round: teacher.state.round, stop: false });
    expect((await teacher.nextError()).code).toBe('wrongPhase');
    await pa.leave();
  });

  it('is joinable the moment it is created, even when a lobby keeper opened it first (the teacher’s own request then finds it open elsewhere)', async () => {
    // As a process's lobby keeper would, right after the class is stored: open its lobby, slowly
    // (its players are read from a database far away), so the teacher's own opening is refused.
    const { store, cluster, codes } = t.server.ctx;
    const release = codes.release.bind(codes);
    const players = store.players.bind(store);
    let keeperOpening: Promise<unknown> | undefined;
    codes.release = (code) => {
      release(code);
      keeperOpening = matchMaker.createRoom(ROOM.classLobby, { classCode: code, openKey: cluster.openKey });
    };
    store.players = async (code) => {
      await new Promise((r) => setTimeout(r, 400));
      return players(code);
    };
    try {
      const { code, teacherSecret } = await createClass(t.http);
      const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
      expect(teacher.room.roomId).toBe(code);
      await keeperOpening;
      await teacher.room.leave();
    } finally {
      codes.release = release;
      store.players = players;
    }
  });
});
