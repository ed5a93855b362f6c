/**
 * Who sees what, checked on the wire: for a full round of every level, every frame each seat
 * (and a seatless watcher) receives over its websocket is recorded, and none may hold a secret
 * that seat does not legitimately know — as raw bytes, hex or base64. The secrets come from
 * the referee's own account (secretsHiddenFrom), sampled as each frame arrives, since what a
 * seat may know grows during a round (the attacker does learn a key sent in the clear).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { matchMaker } from '@colyseus/core';
import { ROLES, secretsHiddenFrom, toHex, type Role } from '@heist/shared';
import type { GameRoom } from '../../server/src/rooms/GameRoom.ts';
import { autoPilot, bootServer, Person, until, type TestServer } from './helpers.ts';
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
