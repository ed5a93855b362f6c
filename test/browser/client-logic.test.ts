/**
 * The client's pure parts, without a browser: the network map's routes (the Wi-Fi path passes
 * the tap, the CA path does not), the bus, and reading the rooms' state into panel shapes.
 */
import { describe, expect, it } from 'vitest';
import { EventBus, type BusEvents } from '../../client/src/bus.ts';
import { normaliseCode } from '../../client/src/net/GameConnection.ts';
import { readClassState, readLobbyState } from '../../client/src/net/stateReaders.ts';
import { whileOthersPlay } from '../../client/src/ui/screens/upNext.ts';
import { NODE_RADIUS, fractionAt, layoutFor, pointAlong, route, type NodeId } from '../../client/src/phaser/layout.ts';

describe('network map', () => {
  it('sends client–server packets through the café Wi-Fi tap, and CA traffic around it', () => {
    expect(route('client', 'server')).toEqual(['client', 'router', 'internet', 'server']);
    expect(route('server', 'client')).toEqual(['server', 'internet', 'router', 'client']);
    expect(route('server', 'ca')).not.toContain('router');
    expect(route('attacker', 'ca')[0]).toBe('router');
  });

  for (const [width, height] of [[770, 322], [350, 592]] as const) {
    it(`places a parcel along its route and knows where the tap is on it (${width}×${height})`, () => {
      const layout = layoutFor(width, height);
      const { nodes } = layout;
      const chain = route('client', 'server');
      expect(pointAlong(layout, chain, 0)).toMatchObject({ x: nodes.client.x, y: nodes.client.y });
      expect(pointAlong(layout, chain, 1)).toMatchObject({ x: nodes.server.x, y: nodes.server.y });
      const tap = fractionAt(layout, chain, 'router');
      expect(tap).toBeGreaterThan(0);
      expect(tap).toBeLessThan(0.5);
      const atTap = pointAlong(layout, chain, tap);
      expect(atTap.x).toBeCloseTo(nodes.router.x);
      expect(atTap.y).toBeCloseTo(nodes.router.y);
    });
  }

  it('lays the map out in a row when wide and in a column, client on top and bank at the bottom, when taller than wide', () => {
    const wide = layoutFor(770, 322);
    expect(wide.orientation).toBe('landscape');
    expect(wide.nodes.client.x).toBeLessThan(wide.nodes.router.x);
    expect(wide.nodes.internet.x).toBeLessThan(wide.nodes.server.x);
    const tall = layoutFor(350, 592);
    expect(tall.orientation).toBe('portrait');
    const below: [NodeId, NodeId][] = [['client', 'router'], ['router', 'internet'], ['internet', 'server']];
    for (const [upper, lower] of below) expect(tall.nodes[lower].y, `${lower} below ${upper}`).toBeGreaterThan(tall.nodes[upper].y);
    expect(tall.nodes.ca.y, 'the CA beside the internet').toBe(tall.nodes.internet.y);
    expect(tall.nodes.ca.x).toBeGreaterThan(tall.nodes.internet.x);
  });

  it('keeps every node and the first ten held parcels inside the view, the parcels clear of the nodes', () => {
    const sizes: [number, number][] = [[300, 592], [350, 592], [560, 592], [570, 322], [770, 322], [960, 322], [1500, 322]];
    for (const [width, height] of sizes) {
      const layout = layoutFor(width, height);
      for (const [id, n] of Object.entries(layout.nodes)) {
        expect(n.x - NODE_RADIUS, `${id} at ${width}×${height}`).toBeGreaterThanOrEqual(0);
        expect(n.x + NODE_RADIUS, `${id} at ${width}×${height}`).toBeLessThanOrEqual(width);
        expect(n.y - NODE_RADIUS, `${id} at ${width}×${height}`).toBeGreaterThanOrEqual(0);
        expect(n.y + NODE_RADIUS, `${id} at ${width}×${height}`).toBeLessThanOrEqual(height);
      }
      for (let i = 0; i < 10; i++) {
        const slot = layout.pileSlot(i);
        expect(slot.x, `held ${i} at ${width}×${height}`).toBeGreaterThan(14);
        expect(slot.y, `held ${i} at ${width}×${height}`).toBeGreaterThan(12);
        expect(slot.y, `held ${i} at ${width}×${height}`).toBeLessThan(height - 12);
        for (const [id, n] of Object.entries(layout.nodes)) {
          expect(Math.hypot(slot.x - n.x, slot.y - n.y), `held ${i} clear of ${id} at ${width}×${height}`).toBeGreaterThan(NODE_RADIUS + 10);
        }
      }
    }
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

describe('class play: a student whose room finished first', () => {
  const info = { round: 3, totalRounds: 6, holding: false };
  it('reads what the class lobby will do once every room has finished', () => {
    expect(whileOthersPlay(info)).toBe('Once every room has finished, the next round starts by itself after a short break; roles swap.');
    expect(whileOthersPlay({ ...info, holding: true })).toBe('Once every room has finished, the teacher starts the next round; roles swap.');
    expect(whileOthersPlay({ ...info, round: 5 })).toBe('That was the last round: the match ends once every room has finished.');
  });
});

describe('codes', () => {
  it('accepts a code typed in lower case, with spaces or dashes', () => {
    expect(normaliseCode(' ab-cd e ')).toBe('ABCDE');
  });
});
