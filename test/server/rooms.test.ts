/**
 * Game room mechanics over real websockets: codes, joining, the host, seats, typed errors for
 * every kind of bad message, rate limits, reconnection and the bot that takes a lost seat.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Client } from 'colyseus.js';
import { LIMITS } from '@heist/shared';
import type { WebSocket } from 'ws';
import { ManualScheduler } from '../../server/src/time/manualScheduler.ts';
import { bootServer, Person, until, type TestServer } from './helpers.ts';

// The server's clock is driven: the message gate reads it, so "a second later" takes no time,
// and a connection gets its burst allowance (two seconds' worth) until a test moves the clock.
// So is a dropped seat's reconnection window (reconnectSeconds: 1): the room keeps it on the server's scheduler.
const clock = new ManualScheduler();
let t: TestServer;
beforeAll(async () => {
  t = await bootServer({ scheduler: clock, timing: { reconnectSeconds: 1, roundMs: 60_000 } });
});
afterAll(async () => {
  await t.close();
});

describe('room codes and joining', () => {
  it('gives each room a unique 5-character code from the unambiguous alphabet, and that code is the room id', async () => {
    const hosts = await Promise.all(Array.from({ length: 12 }, (_, i) => Person.create(t.url, `host${i}`)));
    const codes = hosts.map((h) => h.room.roomId);
    expect(new Set(codes).size).toBe(codes.length);
    for (const [i, code] of codes.entries()) {
      expect(code).toMatch(new RegExp(`^[${LIMITS.roomCodeAlphabet}]{${LIMITS.roomCodeLength}}$`));
      await until('state sync', () => hosts[i]!.state.code === code);
    }
    await Promise.all(hosts.map((h) => h.leave()));
  });

  it('joins by code and nickname; refuses bad, over-long and duplicate nicknames and unknown codes', async () => {
    const host = await Person.create(t.url, 'Alice');
    const code = host.room.roomId;
    const bob = await Person.join(t.url, code, '  Bób  ');
    await until('two members', () => host.state.members.size === 2);
    expect([...host.state.members.values()].map((m: any) => m.nickname).sort()).toEqual(['Alice', 'Bób']);

    await expect(Person.join(t.url, code, 'alice')).rejects.toThrow(/already has that nickname/);
    await expect(Person.join(t.url, code, 'x')).rejects.toThrow(/2 to 16 characters/);
    await expect(Person.join(t.url, code, 'a'.repeat(17))).rejects.toThrow(/2 to 16 characters/);
    await expect(Person.join(t.url, code, '<script>')).rejects.toThrow(/letters, digits/);
    await expect(Person.join(t.url, code, undefined as unknown as string)).rejects.toThrow(/nickname is required/);
    await expect(Person.join(t.url, 'ZZZZZ', 'Carol')).rejects.toThrow();
    expect(host.state.members.size).toBe(2);
    await bob.leave();
    await host.leave();
  });

  it('makes the creator host; only the host configures and starts', async () => {
    const host = await Person.create(t.url, 'Hosty');
    const guest = await Person.join(t.url, host.room.roomId, 'Guest');
    await until('members', () => host.state.members.size === 2);
    const me = host.state.members.get(host.room.sessionId);
    expect(me.host).toBe(true);
    expect(host.state.members.get(guest.room.sessionId).host).toBe(false);

    guest.send('configure', { level: 3, bots: {} });
    expect((await guest.nextError()).code).toBe('notAllowed');
    guest.send('start');
    expect((await guest.nextError()).code).toBe('notAllowed');
    expect(host.state.phase).toBe('lobby');

    host.send('configure', { level: 3, bots: { attacker: 'keySubstitution' } });
    await until('level 3', () => host.state.level === 3);
    expect(host.state.seats.get('attacker').behaviour).toBe('keySubstitution');

    // The host leaving hands the room to the next person.
    await host.leave();
    await until('new host', () => guest.state.members.get(guest.room.sessionId)?.host === true);
    await guest.leave();
  });
});

describe('typed errors for every bad message, to the sender only', () => {
  it('answers unknown types, wrong shapes, wrong role, wrong phase and oversized messages, and nothing reaches the others', async () => {
    const host = await Person.create(t.url, 'Host');
    const rogue = await Person.join(t.url, host.room.roomId, 'Rogue');
    await until('members', () => host.state.members.size === 2);

    const expectError = async (send: () => void, code: string) => {
      const e = rogue.nextError();
      send();
      const err = await e;
      expect(err.code, JSON.stringify(err)).toBe(code);
      expect(typeof err.message).toBe('string');
      expect(err.message.length).toBeGreaterThan(0);
    };

    await expectError(() => rogue.send('hack', { x: 1 }), 'unknownMessage');
    await expectError(() => rogue.room.send(42 as unknown as string, {}), 'unknownMessage');
    await expectError(() => rogue.send('chooseSeat', { role: 'referee' }), 'invalid');
    await expectError(() => rogue.send('chooseSeat', { role: 'client', extra: true }), 'invalid');
    await expectError(() => rogue.send('chooseSeat', 'client'), 'invalid');
    await expectError(() => rogue.send('configure', { level: 9, bots: {} }), 'invalid');
    await expectError(() => rogue.send('configure', { level: 1, bots: { attacker: 'nuke' } }), 'invalid');
    await expectError(() => rogue.send('setSpeed', { speed: Number.NaN }), 'invalid');
    await expectError(() => rogue.send('setSpeed', { speed: 100 }), 'invalid');
    await expectError(() => rogue.send('start', { now: true }), 'invalid');
    await expectError(() => rogue.room.sendBytes('chooseSeat', new Uint8Array([1, 2, 3])), 'invalid');
    // No seat yet: no actions.
    await expectError(() => rogue.send('action', { type: 'connect' }), 'notAllowed');
    // A seat, but no round yet: wrong phase.
    rogue.send('chooseSeat', { role: 'client' });
    await until('seated', () => host.state.members.get(rogue.room.sessionId)?.role === 'client');
    await expectError(() => rogue.send('action', { type: 'connect' }), 'wrongPhase');
    await expectError(() => rogue.send('chooseSeat', { role: 'attacker', sneaky: 1 }), 'invalid');
    // Oversized (but below the socket's hard cap): a typed error, the connection stays.
    await expectError(() => rogue.send('action', { type: 'inject', to: 'server', hex: 'ab'.repeat(LIMITS.maxMessageBytes) }), 'tooLarge');

    // Once the round runs: an action of another role is refused by the rules engine's parser.
    host.send('start');
    await until('playing', () => host.state.phase === 'playing');
    await expectError(() => rogue.send('action', { type: 'sign', csrId: 1 }), 'invalid');
    await expectError(() => rogue.send('action', { type: 'connect', junk: 'x'.repeat(100) }), 'invalid');
    await expectError(() => rogue.send('chooseSeat', { role: 'attacker' }), 'wrongPhase');
    expect(host.state.members.get(rogue.room.sessionId).role).toBe('client');

    expect(rogue.left).toBeUndefined();
    expect(host.errors).toEqual([]);
    await rogue.leave();
    await host.leave();
  });
});

describe('rate limits', () => {
  it('rate-limits a flood of messages, with at most one rate-limit error a second', async () => {
    const host = await Person.create(t.url, 'Flooder');
    for (let i = 0; i < 300; i++) host.send('chooseSeat', { role: 'nobody' });
    await readEverything(host);
    const limited = host.errors.filter((e) => e.code === 'rateLimited');
    const invalid = host.errors.filter((e) => e.code === 'invalid');
    expect(limited.length).toBe(1);
    // The burst allowance (two seconds' worth) was handled; the rest were dropped unanswered.
    expect(invalid.length).toBeGreaterThanOrEqual(LIMITS.actionsPerSecond * 2 - 2);
    expect(invalid.length).toBeLessThanOrEqual(LIMITS.actionsPerSecond * 2 + 2);
    // Until time passes, the room still does not listen.
    const drained = host.errors.length;
    host.send('chooseSeat', { role: 'nobody' });
    await readEverything(host);
    expect(host.errors.length).toBe(drained);
    // The bucket refills: a second later the room listens again.
    clock.advance(1100);
    const before = host.errors.length;
    host.send('chooseSeat', { role: 'nobody' });
    await until('answered', () => host.errors.length > before);
    expect(host.errors[before]!.code).toBe('invalid');
    await host.leave();
  });
});

/**
 * Resolves once the server has read every frame this person sent so far, and they have heard
 * its answers: a websocket ping is read after the frames before it, and its pong is sent after
 * the replies those frames caused.
 */
function readEverything(person: Person): Promise<void> {
  const ws = (person.room.connection.transport as unknown as { ws: WebSocket }).ws;
  return new Promise((resolve) => {
    ws.once('pong', () => resolve());
    ws.ping();
  });
}

describe('reconnection', () => {
  it('gives a dropped player their seat back within the window', async () => {
    const host = await Person.create(t.url, 'Keeper');
    host.send('chooseSeat', { role: 'server' });
    await until('seated', () => host.state.members.get(host.room.sessionId)?.role === 'server');
    const watcher = await Person.join(t.url, host.room.roomId, 'Watcher');
    const token = host.room.reconnectionToken;
    const sessionId = host.room.sessionId;
    // Drop the socket without a goodbye (as a closing laptop lid would).
    (host.room.connection.transport as any).ws.close(4999);
    await until('dropped', () => watcher.state.members.get(sessionId)?.connected === false);
    expect(watcher.state.seats.get('server').bot).toBe(false); // the seat is kept, no bot yet
    const back = await new Client(t.url).reconnect(token);
    expect(back.sessionId).toBe(sessionId);
    await until('back', () => watcher.state.members.get(sessionId)?.connected === true);
    expect(watcher.state.members.get(sessionId).role).toBe('server');
    // The connection that came back passes the same gate: an oversized message is refused before any handler.
    const refused = new Promise<{ code: string }>((resolve) => back.onMessage('error', resolve));
    back.send('action', { type: 'inject', to: 'server', hex: 'ab'.repeat(LIMITS.maxMessageBytes) });
    expect((await refused).code).toBe('tooLarge');
    await back.leave();
    await watcher.leave();
  });

  it('hands the seat to a bot when the player does not come back in time', async () => {
    const host = await Person.create(t.url, 'Leaver');
    const watcher = await Person.join(t.url, host.room.roomId, 'Stayer');
    host.send('chooseSeat', { role: 'ca' });
    await until('seated', () => watcher.state.seats.get('ca')?.bot === false);
    const sessionId = host.room.sessionId;
    (host.room.connection.transport as any).ws.close(4999);
    await until('dropped', () => watcher.state.members.get(sessionId)?.connected === false);
    // A moment before the window closes, the seat is still hers. (The watcher then takes a seat: once it sees that, it has seen every change before it.)
    clock.advance(999);
    watcher.send('chooseSeat', { role: 'server' });
    await until('the watcher seated', () => watcher.state.members.get(watcher.room.sessionId)?.role === 'server');
    expect(watcher.state.seats.get('ca').bot).toBe(false);
    clock.advance(1);
    await until('bot takes over', () => watcher.state.seats.get('ca').bot === true && !watcher.state.members.has(sessionId), 5000);
    await expect(new Client(t.url).reconnect(host.room.reconnectionToken)).rejects.toThrow();
    await watcher.leave();
  });
});
