/**
 * The client's pure parts, without a browser: the network map's routes (the Wi-Fi path passes
 * the tap, the CA path does not), the bus, and reading the rooms' state into panel shapes.
 */
import { describe, expect, it } from 'vitest';
import { EventBus, type BusEvents } from '../../client/src/bus.ts';
import { normaliseCode } from '../../client/src/net/GameConnection.ts';
import { readClassState, readLobbyState } from '../../client/src/net/stateReaders.ts';
import { NODES, fractionAt, pointAlong, route } from '../../client/src/phaser/layout.ts';

describe('network map', () => {
  it('sends client–server packets through the café Wi-Fi tap, and CA traffic around it', () => {
    expect(route('client', 'server')).toEqual(['client', 'router', 'internet', 'server']);
    expect(route('server', 'client')).toEqual(['server', 'internet', 'router', 'client']);
    expect(route('server', 'ca')).not.toContain('router');
    expect(route('attacker', 'ca')[0]).toBe('router');
  });

  it('places a parcel along its route and knows where the tap is on it', () => {
    const chain = route('client', 'server');
    expect(pointAlong(chain, 0)).toEqual({ x: NODES.client.x, y: NODES.client.y });
    expect(pointAlong(chain, 1)).toEqual({ x: NODES.server.x, y: NODES.server.y });
    const tap = fractionAt(chain, 'router');
    expect(tap).toBeGreaterThan(0);
    expect(tap).toBeLessThan(0.5);
    const atTap = pointAlong(chain, tap);
    expect(atTap.x).toBeCloseTo(NODES.router.x);
  });
});

describe('bus', () => {
  it('delivers to subscribers, remembers the latest payload, and unsubscribes', () => {
    const bus = new EventBus<BusEvents>();
    const seen: number[] = [];
    const off = bus.on('ui:selectPacket', ({ id }) => seen.push(id));
    bus.emit('ui:selectPacket', { id: 3 });
    off();
    bus.emit('ui:selectPacket', { id: 4 });
    expect(seen).toEqual([3]);
    expect(bus.latest('ui:selectPacket')).toEqual({ id: 4 });
  });

  it('keeps delivering when one handler throws', () => {
    const bus = new EventBus<BusEvents>();
    const seen: string[] = [];
    bus.on('net:error', () => {
      throw new Error('broken panel');
    });
    bus.on('net:error', ({ message }) => seen.push(message));
    const error = console.error;
    console.error = () => undefined;
    try {
      bus.emit('net:error', { code: 'x', message: 'still told' });
    } finally {
      console.error = error;
    }
    expect(seen).toEqual(['still told']);
  });
});

describe('room state', () => {
  it('reads seats, host and my seat from the game room state', () => {
    const members = new Map([
      ['s1', { sessionId: 's1', nickname: 'Alice', role: 'client', connected: true, host: true, team: '' }],
      ['s2', { sessionId: 's2', nickname: 'Mal', role: 'attacker', connected: false, host: false, team: '' }],
      ['s3', { sessionId: 's3', nickname: 'Eve', role: '', connected: true, host: false, team: '' }],
    ]);
    const seats = new Map(['client', 'server', 'ca', 'attacker'].map((role) => [role, { role, bot: role === 'server' || role === 'ca', behaviour: role === 'ca' ? 'strict' : '', points: 0 }]));
    const state = { code: 'ABCDE', classCode: '', demo: false, phase: 'lobby', level: 4, round: 0, speed: 1, secondsLeft: 0, members, seats, lastOutcome: '', lastSummary: '' };
    const lobby = readLobbyState(state as never, 's1');
    expect(lobby.isHost).toBe(true);
    expect(lobby.mySeat).toBe('client');
    expect(lobby.level).toBe(4);
    expect(lobby.seats.find((s) => s.role === 'attacker')!.players).toEqual(['Mal (reconnecting)']);
    expect(lobby.seats.find((s) => s.role === 'ca')).toMatchObject({ bot: true, behaviour: 'strict' });
    expect(readLobbyState(state as never, 's3').mySeat).toBeUndefined();
  });

  it('orders the class leaderboard by points', () => {
    const state = {
      code: 'KLASS',
      status: 'playing',
      levels: [1, 4],
      round: 0,
      totalRounds: 2,
      teacherPresent: true,
      students: new Map([['p1', { id: 'p1', nickname: 'Ada', team: 't1', connected: true, points: 3 }]]),
      teams: new Map([
        ['t1', { id: 't1', name: 'Red', members: ['p1'], points: 3 }],
        ['t2', { id: 't2', name: 'Blue', members: [], points: 8 }],
      ]),
      matches: new Map(),
    };
    const info = readClassState(state as never, true, 'p1');
    expect(info.teams.map((t) => t.name)).toEqual(['Blue', 'Red']);
    expect(info.levels).toEqual([1, 4]);
    expect(info.students[0]).toMatchObject({ nickname: 'Ada', teamId: 't1' });
  });
});

describe('codes', () => {
  it('accepts a code typed in lower case, with spaces or dashes', () => {
    expect(normaliseCode(' ab-cd e ')).toBe('ABCDE');
  });
});
