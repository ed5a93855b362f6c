/**
 * Who sees what, checked on the wire: for a full round of every level, every frame each seat
 * (and a seatless watcher) receives over its websocket is recorded, and none may hold a secret
 * that seat does not legitimately know — as raw bytes, hex or base64. The secrets come from
 * the referee's own account (secretsHiddenFrom), sampled as each frame arrives, since what a
 * seat may know grows during a round (the attacker does learn a key sent in the clear).
 * And in a hidden-attacker class, nothing a defender receives before the result — from its
 * game room or from the class lobby — says whether its room has an attacker.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchMaker } from '@colyseus/core';
import { ROLES, secretsHiddenFrom, toHex, utf8, type ClassServerMessages, type Role } from '@heist/shared';
import type { GameRoom } from '../../server/src/rooms/GameRoom.ts';
import { autoPilot, BOTS, bootServer, createClass, Lobbyist, Person, until, type TestServer } from './helpers.ts';
import { SCENARIOS } from './scenarios.ts';
import { findNeedle, needlesFor, type Needle } from './secrets.ts';

let t: TestServer;
beforeAll(async () => {
  t = await bootServer();
});
afterAll(async () => {
  await t.close();
});

type Seat = Role | 'watcher';

describe('no frame carries another seat’s secret', () => {
  for (const s of SCENARIOS) {
    it(`level ${s.level} (${s.bots.attacker} attacker)`, async () => {
      const people = new Map<Role, Person>();
      for (const role of ROLES) {
        const p = people.size === 0 ? await Person.create(t.url, `Seat-${role}`) : await Person.join(t.url, [...people.values()][0]!.room.roomId, `Seat-${role}`);
        people.set(role, p);
        p.send('chooseSeat', { role });
      }
      const host = people.get('client')!;
      const code = host.room.roomId;
      const watcher = await Person.join(t.url, code, 'Watcher');
      await until('seated', () => ROLES.every((r) => host.state.seats.get(r)?.bot === false));
      host.send('configure', { level: s.level, bots: s.bots });
      await until('configured', () => host.state.level === s.level);

      const room = matchMaker.getLocalRoomById(code) as GameRoom;
      // Per seat: each frame with the secrets hidden from that seat at the moment it arrived.
      const checked = new Map<Seat, { frame: Uint8Array; hidden: Map<string, Needle[]> }[]>();
      const hiddenNow = (seat: Seat) => {
        const round = room.host.session.currentRound;
        const out = new Map<string, Needle[]>();
        if (!round) return out;
        const roles = seat === 'watcher' ? ROLES : [seat];
        for (const r of roles) for (const secret of secretsHiddenFrom(round, r)) out.set(toHex(secret.value), needlesFor(secret.value, secret.label));
        return out;
      };
      const seats: [Seat, Person][] = [...people.entries(), ['watcher', watcher]];
      for (const [seat, p] of seats) {
        checked.set(seat, []);
        const ws = (p.room.connection.transport as any).ws;
        ws.addEventListener('message', (e: { data: ArrayBuffer }) => checked.get(seat)!.push({ frame: new Uint8Array(e.data), hidden: hiddenNow(seat) }));
      }

      const stops = [...people.entries()].map(([role, p]) => autoPilot(p, s.bots, `privacy-${s.level}-${role}`, role === 'attacker' ? 40 : 150));
      host.send('start');
      const result = await until('result', () => host.views.find((v) => v.result)?.result, 30_000);
      await until('every seat has the result', () => [...people.values()].every((p) => p.views.some((v) => v.result)));
      await until('watcher has the result', () => watcher.spectates.some((v) => v.result));
      stops.forEach((stop) => stop());

      let frames = 0;
      const leaks: string[] = [];
      for (const [seat, list] of checked) {
        for (const { frame, hidden } of list) {
          frames++;
          for (const needles of hidden.values())
            for (const needle of needles) if (findNeedle(frame, needle) >= 0) leaks.push(`${seat} received ${needle.label}`);
        }
      }
      expect([...new Set(leaks)], `outcome ${result.outcome}`).toEqual([]);
      expect(frames).toBeGreaterThan(20);

      // The search is not blind: each seat's frames do hold that seat's own secrets, which
      // the referee lists as hidden from the others (the client's PIN as its panel shows it).
      const round = room.host.session.currentRound!;
      const pin = (host.views[0] as { secret: string }).secret;
      expect(checked.get('client')!.some((c) => needlesFor(pin, 'PIN').some((n) => findNeedle(c.frame, n) >= 0))).toBe(true);
      expect(checked.get('attacker')!.some((c) => needlesFor(pin, 'PIN').some((n) => findNeedle(c.frame, n) >= 0))).toBe(['eavesdropped', 'impersonated'].includes(result.outcome)); // she reads it only when she broke in
      for (const role of ['server', 'ca', 'attacker'] as const) {
        const others = ROLES.filter((r) => r !== role);
        const own = others
          .flatMap((r) => secretsHiddenFrom(round, r))
          .filter((secret) => !secretsHiddenFrom(round, role).some((h) => toHex(h.value) === toHex(secret.value)));
        expect(own.length, `${role} owns secrets`).toBeGreaterThan(0);
        const mine = checked.get(role)!.map((c) => c.frame);
        const found = own.filter((secret) => needlesFor(secret.value, secret.label).some((n) => mine.some((f) => findNeedle(f, n) >= 0)));
        expect(found.length, `${role} sees its own secrets: ${own.map((o) => o.label).join(", ")}`).toBeGreaterThan(0);
      }
      for (const p of [...people.values(), watcher]) await p.leave();
    });
  }
});

/** Where a byte string occurs in a frame (-1: nowhere). */
function indexOf(frame: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= frame.length; i++) {
    for (let j = 0; j < needle.length; j++) if (frame[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('a hidden attacker: no frame tells the defenders whether their room has one', () => {
  // A server of its own: its seed alone decides which rooms have an attacker (here: one of the two in the first round).
  let h: TestServer;
  beforeAll(async () => {
    h = await bootServer({ seed: 'hidden attacker 4' });
  });
  afterAll(async () => {
    await h.close();
  });

  it('in a class of four one-student teams (two rooms), before each room’s result', async () => {
    const t = h;
    const { code, teacherSecret } = await createClass(t.http);
    const teacher = await Lobbyist.join(t.url, code, { teacherSecret });
    const told: ClassServerMessages['hiddenAttackers'][] = [];
    teacher.room.onMessage('hiddenAttackers', (m: ClassServerMessages['hiddenAttackers']) => told.push(m));
    const names = ['Hedy', 'Joan', 'Katherine', 'Mary'];
    /** Who has her room's result (her game room's frames say when). */
    const results = new Map<string, boolean>();
    /** Whether a frame arriving now for `nickname` comes before her room's result. */
    const beforeResult = (nickname: string): (() => boolean) => {
      const at = !results.get(nickname);
      return () => at;
    };
    const students: Lobbyist[] = [];
    /** Every frame each student's class lobby sent, and whether her room had its result by then. */
    const lobbyFrames = new Map<string, { frame: Uint8Array; beforeResult: () => boolean }[]>();
    for (const nickname of names) {
      const s = await Lobbyist.join(t.url, code, { nickname });
      students.push(s);
      lobbyFrames.set(nickname, []);
      (s.room.connection.transport as any).ws.addEventListener('message', (e: { data: ArrayBuffer }) => lobbyFrames.get(nickname)!.push({ frame: new Uint8Array(e.data), beforeResult: beforeResult(nickname) }));
    }
    await until('welcomes', () => students.every((s) => s.welcome));
    teacher.send('formTeams', { teams: students.map((s) => [s.welcome!.playerId]) });
    teacher.send('setLevels', { levels: [4] });
    await until('teams and level', () => teacher.state.teams.size === 4 && teacher.state.levels.join() === '4');
    teacher.send('startMatch', { hiddenAttacker: true });
    await until('assignments', () => students.every((s) => s.assignments.length === 1));
    const truth = await until('the teacher told which rooms have an attacker', () => told.find((m) => m.round === 0));
    const present = new Map(truth.rooms.map((r) => [r.roomCode, r.attacker]));
    expect([...present.values()].sort(), 'the server’s seed gives this round one room of each kind').toEqual([false, true]);

    const people = new Map<string, Person>();
    const gameFrames = new Map<string, { frame: Uint8Array; beforeResult: () => boolean }[]>();
    const stops: (() => void)[] = [];
    for (const [i, s] of students.entries()) {
      const nickname = names[i]!;
      const a = s.assignments[0]!;
      const p = await Person.join(t.url, a.roomCode, nickname, { ticket: a.ticket });
      people.set(nickname, p);
      gameFrames.set(nickname, []);
      // Registered after the room's own handler: by the time a frame is kept here, the view it carried is in p.views.
      (p.room.connection.transport as any).ws.addEventListener('message', (e: { data: ArrayBuffer }) => {
        if (p.views.some((v) => v.result)) results.set(nickname, true);
        gameFrames.get(nickname)!.push({ frame: new Uint8Array(e.data), beforeResult: beforeResult(nickname) });
      });
      stops.push(autoPilot(p, BOTS, `hidden-${nickname}`));
    }
    await until('every room’s result', () => [...people.values()].every((p) => p.views.some((v) => v.result)), 30_000);
    stops.forEach((stop) => stop());

    const roleOf = (n: string) => students[names.indexOf(n)]!.assignments[0]!.role;
    const roomOf = (n: string) => students[names.indexOf(n)]!.assignments[0]!.roomCode;
    const defenders = names.filter((n) => roleOf(n) !== 'attacker');
    expect(defenders).toHaveLength(2);
    const tokens = ['sittingOut', 'hiddenAttackers'].map((w) => ({ w, bytes: utf8(w) }));
    for (const n of defenders) {
      const frames = [...gameFrames.get(n)!, ...lobbyFrames.get(n)!].filter((f) => f.beforeResult());
      expect(frames.length, `${n}'s frames before the result`).toBeGreaterThan(10);
      for (const { w, bytes } of tokens) expect(frames.filter((f) => indexOf(f.frame, bytes) >= 0).length, `${n} (room ${roomOf(n)}, ${present.get(roomOf(n)) ? 'an attacker' : 'no attacker'}) received "${w}"`).toBe(0);
      // Every view she was shown says only that the mode is on.
      const p = people.get(n)!;
      for (const v of p.views.filter((view) => !view.result)) expect(v.hiddenAttacker).toBe(true);
      expect(p.views.at(-1)!.result?.hiddenAttacker?.present).toBe(present.get(roomOf(n)));
    }
    // The search is not blind: the seat with no attack in its room does receive the word, and the teacher the truth.
    const sittingOut = names.find((n) => roleOf(n) === 'attacker' && !present.get(roomOf(n)))!;
    expect(gameFrames.get(sittingOut)!.some((f) => indexOf(f.frame, tokens[0]!.bytes) >= 0)).toBe(true);
    expect(told.length).toBeGreaterThan(0);

    // What the rooms' shared state showed the two defenders: the same seats, the same roles (only names differ).
    const [one, two] = defenders.map((n) => people.get(n)!.state);
    const seats = (state: any) => [...state.seats.values()].map((seat: any) => ({ role: seat.role, bot: seat.bot, behaviour: seat.behaviour })).sort((a, b) => a.role.localeCompare(b.role));
    expect(seats(one)).toEqual(seats(two));
    expect(seats(one).find((seat) => seat.role === 'attacker')).toEqual({ role: 'attacker', bot: false, behaviour: '' });
    for (const p of [...people.values(), ...students, teacher]) await p.room.leave(true).catch(() => undefined);
  });
});
