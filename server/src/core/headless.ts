/**
 * The server in one process without Colyseus or sockets, like starwards' headless runner: the
 * hosts the rooms run (classHost.ts, gameHost.ts), over a store (SQLite in memory), on a clock
 * the caller drives (time/manualScheduler.ts). What Colyseus carries in the server — each
 * room's connections, the matchmaker's calls between rooms (RoomCalls) — is carried here by
 * plain calls, in the order they are made; the rest is the server's own code. A lesson of
 * several rounds runs in well under a second.
 *
 * People are whatever the caller plays (test/server/support/classroom.ts scripts students): a
 * `Peer` hears what its connection is sent, and the connection drops, comes back or leaves as a
 * browser's would. It is one process: nothing watches for dead processes (RoomCalls
 * `severalProcesses`), so two faults are played by hand — game rooms' reports held up on their
 * way to the lobby (Redis away), and the process running a game room dying.
 */
import type { ClassServerMessages, GameServerMessages } from '@heist/shared';
import type { GameRoomCalls, LobbyCalls, MatchRoomOptions } from '../class/matchLink.ts';
import { hashSecret, newSecret } from '../class/secrets.ts';
import { LocalCluster } from '../cluster/cluster.ts';
import { DEFAULT_LIMITS, DEFAULT_TIMING, type Timing } from '../config.ts';
import { CodeBook, rngSource, type ServerContext } from '../context.ts';
import { openDb } from '../persistence/sqlite/db.ts';
import { SqliteStore } from '../persistence/sqlite/store.ts';
import type { Store } from '../persistence/store.ts';
import { ManualScheduler } from '../time/manualScheduler.ts';
import { JOIN_ERRORS } from '../validation/joinErrors.ts';
import { Refused } from './admission.ts';
import { ClassHost } from './classHost.ts';
import type { RoomIO } from './connections.ts';
import { GameHost } from './gameHost.ts';
import { Connection, type AnyPeer, type Hosted, type Peer } from './headlessConnection.ts';
import type { Call, RoomCalls } from './roomCalls.ts';

/** Where every headless person connects from (the per-address limits count them as one school). */
const ADDRESS = '127.0.0.1';

export class HeadlessServer implements RoomCalls {
  readonly scheduler = new ManualScheduler();
  readonly logs: string[] = [];
  readonly ctx: ServerContext;
  readonly severalProcesses = false;
  readonly lobbies = new Map<string, ClassHost>();
  readonly gameRooms = new Map<string, GameHost>();
  private readonly connections = new Map<string, Connection>();
  /** Game rooms run on a process of their own, which can die (`crash`); the lobby's is the cluster's. */
  private readonly processOf = new Map<string, string>();
  private readonly dead = new Set<string>();
  private gameProcess = 1;
  private connectionCount = 0;
  /** Reports from game rooms wait here instead of reaching their lobby (see holdReports). */
  private held: { deliver: () => unknown; answer: (value: unknown) => void }[] | undefined;

  constructor(options: { timing?: Partial<Timing>; store?: (sqlite: Store) => Store; seed?: string } = {}) {
    const store = (options.store ?? ((s) => s))(new SqliteStore(openDb(':memory:')));
    const cluster = new LocalCluster('headless', DEFAULT_LIMITS);
    this.ctx = {
      store,
      timing: { ...DEFAULT_TIMING, ...options.timing },
      limits: DEFAULT_LIMITS,
      cluster,
      codes: new CodeBook((code) => store.classExists(code), cluster),
      scheduler: this.scheduler,
      rng: rngSource(options.seed ?? 'headless'),
      log: (line) => this.logs.push(line),
    };
  }

  // ── Classes and people ───────────────────────────────────────────────────

  /** A class, as POST /api/classes makes one: in the store, its lobby open. */
  async createClass(): Promise<{ code: string; teacherSecret: string }> {
    const { ctx } = this;
    const teacherSecret = newSecret();
    const code = await ctx.codes.claim(ctx.rng('class-code'));
    await ctx.store.createClass(code, hashSecret(teacherSecret), this.scheduler.now());
    ctx.codes.release(code);
    let host: ClassHost | undefined;
    host = await ClassHost.open(ctx, this, this.io(() => host, (h) => this.lobbies.delete(h.code)), { classCode: code, openKey: ctx.cluster.openKey });
    this.lobbies.set(code, host);
    return { code, teacherSecret };
  }

  /** Joins a class lobby as a browser does: admitted at the door, then again as the connection arrives. */
  async joinClass(code: string, options: unknown, peer: Peer<ClassServerMessages>): Promise<Connection> {
    const host = this.lobbies.get(code);
    if (!host) throw new Refused(JOIN_ERRORS.notFound.code, JOIN_ERRORS.notFound.message);
    const admitted = await host.admission(options, ADDRESS);
    if (!admitted.ok) throw new Refused(admitted.code, admitted.message);
    const auth = await host.authenticate(options);
    const connection = this.connect(host, peer);
    host.joined(connection.id, auth);
    return connection;
  }

  /** Joins a game room by its code (a class's with the ticket of an assignment). */
  async joinGame(code: string, options: unknown, peer: Peer<GameServerMessages>): Promise<Connection> {
    const host = this.gameRooms.get(code);
    if (!host) throw new Refused(JOIN_ERRORS.notFound.code, JOIN_ERRORS.notFound.message);
    const admitted = await host.admission(options, ADDRESS, []);
    if (!admitted.ok) throw new Refused(admitted.code, admitted.message);
    const connection = this.connect(host, peer);
    host.joined(connection.id, admitted.auth);
    return connection;
  }

  private connect<Out>(host: Hosted, peer: Peer<Out>): Connection {
    const connection = new Connection(`connection-${++this.connectionCount}`, host, peer as unknown as AnyPeer);
    this.connections.set(connection.id, connection);
    return connection;
  }

  private connectionsOf(host: Hosted): Connection[] {
    return [...this.connections.values()].filter((c) => c.host === host);
  }

  /** A room's connections, as its host sees them; closing the room gives up those still dropped (as Colyseus' disconnect does). */
  private io<H extends Hosted & { dispose(): void }, Out>(host: () => H | undefined, unlist: (host: H) => void): RoomIO<Out> {
    return {
      send: (id, type, payload) => this.connections.get(id)?.deliver(type as string, payload),
      close: (id, code, reason) => this.connections.get(id)?.closedByServer(code, reason ?? ''),
      dispose: async () => {
        const h = host();
        if (!h) return;
        await null; // after the connections it closed have left
        unlist(h);
        for (const c of this.connectionsOf(h)) {
          c.roomClosed();
          this.connections.delete(c.id);
        }
        h.dispose();
      },
    };
  }

  // ── RoomCalls: the matchmaker's part, in process ─────────────────────────

  async openGameRoom(options: MatchRoomOptions): Promise<{ roomCode: string; processId: string }> {
    let host: GameHost | undefined;
    host = await GameHost.open(this.ctx, this, this.io(() => host, (h) => this.gameRooms.delete(h.code)), options);
    const processId = `game-process-${this.gameProcess}`;
    this.gameRooms.set(host.code, host);
    this.processOf.set(host.code, processId);
    return { roomCode: host.code, processId };
  }

  toGameRoom<M extends keyof GameRoomCalls>(roomCode: string, method: M, args: Call<GameRoomCalls, M>['args']): Promise<Call<GameRoomCalls, M>['answer']> {
    const host = this.gameRooms.get(roomCode);
    if (!host) return Promise.reject(new Error(`${method} to room ${roomCode}: no such room`));
    return Promise.resolve((host[method] as (...a: unknown[]) => Call<GameRoomCalls, M>['answer'])(...args));
  }

  toLobby<M extends keyof LobbyCalls>(classCode: string, method: M, args: Call<LobbyCalls, M>['args']): Promise<Call<LobbyCalls, M>['answer']> {
    const host = this.lobbies.get(classCode);
    if (!host) return Promise.reject(new Error(`${method} to class ${classCode}: no such lobby`));
    const deliver = () => (host[method] as (...a: unknown[]) => Call<LobbyCalls, M>['answer'])(...args);
    if (method !== 'matchRoundOver' || !this.held) return Promise.resolve(deliver());
    const held = this.held;
    return new Promise((answer) => held.push({ deliver, answer: (value) => answer(value as Call<LobbyCalls, M>['answer']) }));
  }

  async gameRoomsOfClass(classCode: string): Promise<number> {
    return [...this.gameRooms.values()].filter((r) => r.match?.classCode === classCode).length;
  }

  async processGone(processId: string): Promise<boolean> {
    return this.dead.has(processId);
  }

  // ── Driving the clock ────────────────────────────────────────────────────

  /** Lets every pending write (and what waits on it) finish, unless the store holds it back. */
  async settle(): Promise<void> {
    const turn = () => new Promise((resolve) => setImmediate(resolve));
    await Promise.race([Promise.all([...this.lobbies.values()].map((l) => l.lobby.settled())), turn().then(turn)]);
    await turn();
  }

  /** Moves time on until `done`, or fails after `limitMs` of server time; the store's writes go through on the way. */
  async runUntil(what: string, done: () => boolean, limitMs = 600_000): Promise<void> {
    const deadline = this.scheduler.now() + limitMs;
    await this.settle();
    while (!done()) {
      if (this.scheduler.now() >= deadline) throw new Error(`server time ran out waiting for ${what}`);
      this.scheduler.advance(100);
      await this.settle();
    }
  }

  // ── Faults ───────────────────────────────────────────────────────────────

  /** Game rooms' reports no longer reach their lobby (say Redis is away); they wait. */
  holdReports(): void {
    this.held ??= [];
  }

  /**
   * The reports held back reach the lobby, each `times` times (a retry whose answer was lost
   * delivers it twice), and each room hears the first answer; later ones go straight through.
   */
  deliverReports(times = 1): unknown[] {
    const held = this.held ?? [];
    this.held = undefined;
    return held.flatMap(({ deliver, answer }) => {
      const answers = Array.from({ length: times }, deliver);
      answer(answers[0]);
      return answers;
    });
  }

  /**
   * The process running a game room dies, with every room on it: their connections are lost,
   * nothing of them runs any more, and each lobby looks at once for what its watch would find.
   * Game rooms opened later run on a new process.
   */
  async crash(roomCode: string): Promise<void> {
    const processId = this.processOf.get(roomCode);
    if (processId === undefined) throw new Error(`no room ${roomCode}`);
    this.dead.add(processId);
    this.gameProcess++;
    for (const [code, host] of this.gameRooms) {
      if (this.processOf.get(code) !== processId) continue;
      for (const c of this.connectionsOf(host)) {
        c.lost();
        this.connections.delete(c.id);
      }
      this.gameRooms.delete(code);
      host.dispose();
    }
    for (const lobby of this.lobbies.values()) await lobby.lookForLostRooms();
  }
}
