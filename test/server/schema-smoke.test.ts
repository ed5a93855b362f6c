import { describe, expect, it } from 'vitest';
import http from 'node:http';
import { Room, Server } from '@colyseus/core';
import { WebSocketTransport } from '@colyseus/ws-transport';
import { Schema, MapSchema, type } from '@colyseus/schema';
import { Client } from 'colyseus.js';

class P extends Schema { @type('string') nickname = ''; }
class S extends Schema { @type('string') code = ''; @type({ map: P }) players = new MapSchema<P>(); }
class R extends Room<S> { override onCreate() { this.state = new S().assign({ code: 'ABCDE' }); } override onJoin(c: any) { this.state.players.set(c.sessionId, new P().assign({ nickname: 'zed' })); } }

describe('smoke', () => {
  it('decorated schema fields reach a colyseus.js client', async () => {
    const httpServer = http.createServer();
    const gs = new Server({ transport: new WebSocketTransport({ server: httpServer }), greet: false, gracefullyShutdown: false });
    gs.define('r', R);
    await gs.listen(0);
    const port = (httpServer.address() as any).port;
    const c = new Client(`ws://127.0.0.1:${port}`);
    const room = await c.create<any>('r');
    await new Promise((r) => setTimeout(r, 200));
    expect(room.state.code).toBe('ABCDE');
    expect([...room.state.players.values()].map((p: any) => p.nickname)).toEqual(['zed']);
    await room.leave();
    await gs.gracefullyShutdown(false);
  });
});
