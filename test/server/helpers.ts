/**
 * Test harness: a real server on a random port over a temporary SQLite file, and players
 * that are real colyseus.js clients over real websockets, recording everything they receive.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Client, type Room } from 'colyseus.js';
import { botAction, seededRng, type BotBehaviours, type ClassServerMessages, type JsonPatchOperation, type ProtocolError, type RoleView, type SpectatorView } from '@heist/shared';
import { startServer, type HeistServer } from '../../server/src/app.ts';
import { ViewStream } from '../../client/src/net/viewStream.ts';
import type { ServerOptions } from '../../server/src/config.ts';

export const FAST_TIMING = {
  latencyMs: 40,
  roundMs: 30_000,
  prepareMs: 3_000,
  closingMs: 1_500,
  botDelayMs: [15, 40] as const,
  reconnectSeconds: 2,
  betweenRoundsMs: 0,
  seatingGraceMs: 3_000,
  resultMinMs: 300,
  unattendedSeatMs: 10_000,
  // Closing a test server does not wait long for rounds still being played.
  shutdownWaitMs: 500,
};

export function tempDbPath(): string {
  return path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'heist-test-')), 'heist.db');
}

export interface TestServer {
  server: HeistServer;
  url: string;
  http: string;
  dbPath: string;
  logs: string[];
  close(): Promise<void>;
}

export async function bootServer(options: Partial<ServerOptions> = {}): Promise<TestServer> {
  const dbPath = options.dbPath ?? tempDbPath();
  const logs: string[] = [];
  const server = await startServer({
    dbPath,
    host: '127.0.0.1',
    port: 0,
    seed: 'test',
    log: (line) => logs.push(line),
    ...options,
    timing: { ...FAST_TIMING, ...options.timing },
    limits: { joinsPerMinute: 10_000, ...options.limits },
  });
  return {
    server,
    url: `ws://127.0.0.1:${server.port}`,
    http: `http://127.0.0.1:${server.port}`,
    dbPath,
    logs,
    close: () => server.close(),
  };
}

export async function until<T>(what: string, probe: () => T | undefined | null | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    let value: T | undefined | null | false;
    try {
      value = probe();
    } catch {
      value = undefined; // state not synced yet
    }
    if (value !== undefined && value !== null && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

function fail(what: string): never {
  throw new Error(what);
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A person in a room: every message and raw frame they receive is kept. */
export class Person {
  views: RoleView[] = [];
  spectates: SpectatorView[] = [];
  errors: ProtocolError[] = [];
  messages: { type: string | number; payload: unknown }[] = [];
  frames: Uint8Array[] = [];
  left: number | undefined;

  constructor(
    readonly room: Room<any>,
    readonly nickname: string,
  ) {
    const ws = (room.connection.transport as unknown as { ws: { addEventListener(t: string, f: (e: { data: ArrayBuffer }) => void): void } }).ws;
    ws.addEventListener('message', (e) => this.frames.push(new Uint8Array(e.data)));
    const views = new ViewStream<RoleView>();
    const spectated = new ViewStream<SpectatorView>();
    room.onMessage('view', (v: RoleView) => this.views.push(views.whole(v)));
    room.onMessage('viewPatch', ({ ops }: { ops: JsonPatchOperation[] }) => this.views.push(views.patch(ops) ?? fail('a view patch that does not apply')));
    room.onMessage('spectate', (v: SpectatorView) => this.spectates.push(spectated.whole(v)));
    room.onMessage('spectatePatch', ({ ops }: { ops: JsonPatchOperation[] }) => this.spectates.push(spectated.patch(ops) ?? fail('a spectator patch that does not apply')));
    room.onMessage('error', (e: ProtocolError) => this.errors.push(e));
    room.onMessage('*', (type, payload) => this.messages.push({ type, payload }));
    room.onLeave((code) => (this.left = code));
  }

  static async create(url: string, nickname: string, options: Record<string, unknown> = {}): Promise<Person> {
    return new Person(await new Client(url).create('game', { nickname, ...options }), nickname);
  }

  static async join(url: string, code: string, nickname: string, options: Record<string, unknown> = {}): Promise<Person> {
    return new Person(await new Client(url).joinById(code, { nickname, ...options }), nickname);
  }

  get state(): any {
    return this.room.state;
  }

  get view(): RoleView | undefined {
    return this.views[this.views.length - 1];
  }

  send(type: string, payload?: unknown): void {
    this.room.send(type, payload);
  }

  /** Wait for the next error after now. */
  async nextError(): Promise<ProtocolError> {
    const n = this.errors.length;
    return until('an error message', () => this.errors[n]);
  }

  async leave(): Promise<void> {
    if (this.left === undefined) await this.room.leave(true).catch(() => undefined);
  }
}

/**
 * A scripted person: after each view, plays the move the shared bot logic would make from
 * that same view (what a player sees is all it uses). People think slower than the test's
 * bots (150 ms against 15-40 ms), so bot attackers have their tools ready before a person
 * dials, as in the engine's scenario matrix. Returns a stop function.
 */
export function autoPilot(p: Person, behaviours: BotBehaviours, seed: string, thinkMs = 150, paused: (view: RoleView) => boolean = () => false): () => void {
  const rng = seededRng(seed);
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;
  /** The last move sent: a view that left the server before that move arrived still asks for it, and a person does not press it twice. */
  let lastSent = '';
  const think = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      const view = p.view;
      if (stopped || !view || view.phase === 'over') return; // people prepare too (the bank gets its certificate)
      if (paused(view)) return think(); // looked at again shortly: no view may come while nobody moves
      const action = botAction(view, behaviours, rng);
      if (!action || JSON.stringify(action) === lastSent) return;
      lastSent = JSON.stringify(action);
      p.send('action', action);
    }, thinkMs);
  };
  const unbind = [p.room.onMessage('view', think), p.room.onMessage('viewPatch', think)];
  think(); // the round may already be showing

  return () => {
    stopped = true;
    clearTimeout(timer);
    for (const u of unbind) u?.();
  };
}

export const BOTS: BotBehaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' };

/** A class's lobby connection. */
export class Lobbyist {
  errors: ProtocolError[] = [];
  assignments: ClassServerMessages['assignment'][] = [];
  welcome: ClassServerMessages['welcome'] | undefined;
  watches: ClassServerMessages['watch'][] = [];
  constructor(readonly room: Room<any>) {
    room.onMessage('watch', (w: ClassServerMessages['watch']) => this.watches.push(w));
    room.onMessage('error', (e: ProtocolError) => this.errors.push(e));
    room.onMessage('assignment', (a: ClassServerMessages['assignment']) => this.assignments.push(a));
    room.onMessage('welcome', (w: ClassServerMessages['welcome']) => (this.welcome = w));
  }
  static async join(url: string, code: string, options: Record<string, unknown>): Promise<Lobbyist> {
    return new Lobbyist(await new Client(url).joinById(code, options));
  }
  get state(): any {
    return this.room.state;
  }
  send(type: string, payload?: unknown): void {
    this.room.send(type, payload);
  }
  async nextError(): Promise<ProtocolError> {
    const n = this.errors.length;
    return until('an error message', () => this.errors[n]);
  }
}

export async function createClass(httpBase: string): Promise<{ code: string; teacherSecret: string }> {
  const res = await fetch(`${httpBase}/api/classes`, { method: 'POST' });
  if (res.status !== 201) throw new Error(`POST /api/classes: ${res.status}`);
  return (await res.json()) as { code: string; teacherSecret: string };
}
