/**
 * Results survive a restart: a class plays a match in one server process, the process is
 * killed without warning, a new process opens the same SQLite file, and the class, its
 * leaderboard, its players and its CSV are all still there.
 */
import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { createClass, Lobbyist, tempDbPath, until } from './helpers.ts';
import { spawnServer, type ServerProcess } from './process.ts';

const FAST_ENV = { LATENCY_MS: '40', ROUND_MS: '30000', CLOSING_MS: '1500', BOT_DELAY_MS: '15-40', BETWEEN_ROUNDS_MS: '0', SEATING_GRACE_MS: '300', JOINS_PER_MINUTE: '1000' };
const running: ServerProcess[] = [];
afterAll(async () => {
  for (const s of running) await s.stop().catch(() => undefined);
});

describe('a server restart', () => {
  it('loses nothing: class, teams, players, rounds, outcomes and points', async () => {
    const dbPath = tempDbPath();
    const first = await spawnServer({ ...FAST_ENV, DB_PATH: dbPath });
    running.push(first);
    const url = `ws://127.0.0.1:${first.port}`;
    const http = `http://127.0.0.1:${first.port}`;

    const { code, teacherSecret } = await createClass(http);
    const teacher = await Lobbyist.join(url, code, { teacherSecret });
    const names = ['Noor', 'Kofi', 'Lena', 'Yuki'];
    const students: Lobbyist[] = [];
    for (const nickname of names) students.push(await Lobbyist.join(url, code, { nickname }));
    await until('welcomes', () => students.every((s) => s.welcome));
    teacher.send('autoBalance', { teamCount: 2 });
    await until('teams', () => teacher.state.teams.size === 2);
    teacher.send('setLevels', { levels: [2] });
    teacher.send('startMatch');
    // Nobody opens the game room: after the seating grace, bots play every seat.
    await until('round 1 over', () => [...teacher.state.matches.values()][0]?.phase === 'over', 40_000);
    teacher.send('nextRound', { round: teacher.state.round, stop: false });
    await until('match ended', () => teacher.state.status === 'ended', 40_000);
    await until('leaderboard', () => [...teacher.state.teams.values()].length === 2);

    const csvBefore = await (await fetch(`${http}/api/classes/${code}/results.csv`, { headers: { 'X-Teacher-Secret': teacherSecret } })).text();
    const rowsBefore = csvBefore.trim().split('\r\n').slice(1);
    expect(rowsBefore.length).toBe(8); // 2 rounds × 4 seats, all played by bots
    const board = (s: any) => ({
      teams: [...s.teams.values()].map((tm: any) => ({ id: tm.id, name: tm.name, points: tm.points, members: [...tm.members] })),
      students: [...s.students.values()].map((st: any) => ({ id: st.id, nickname: st.nickname, team: st.team, points: st.points })),
    });
    const boardBefore = board(teacher.state);
    expect(boardBefore.students.map((s) => s.nickname).sort()).toEqual([...names].sort());

    await first.crash();
    expect(fs.existsSync(dbPath)).toBe(true);

    const second = await spawnServer({ ...FAST_ENV, DB_PATH: dbPath });
    running.push(second);
    const url2 = `ws://127.0.0.1:${second.port}`;
    const http2 = `http://127.0.0.1:${second.port}`;

    const csvAfter = await (await fetch(`${http2}/api/classes/${code}/results.csv`, { headers: { 'X-Teacher-Secret': teacherSecret } })).text();
    expect(csvAfter).toBe(csvBefore);

    const teacher2 = await Lobbyist.join(url2, code, { teacherSecret });
    await until('state', () => teacher2.state.students?.size === names.length);
    expect(board(teacher2.state)).toEqual(boardBefore);
    expect(teacher2.state.status).toBe('ended');

    // A student comes back as the same player with the token their browser kept.
    const back = await Lobbyist.join(url2, code, { playerToken: students[0]!.welcome!.playerToken });
    await until('welcome back', () => back.welcome);
    expect(back.welcome!.playerId).toBe(students[0]!.welcome!.playerId);
    await until('connected', () => teacher2.state.students.get(back.welcome!.playerId)?.connected === true);
    // And a new class code never collides with the old one.
    const other = await createClass(http2);
    expect(other.code).not.toBe(code);
  });
});
