/**
 * One game room's play, without Colyseus: the round's lifecycle (start, the engine's timers, the
 * end and its result), class play's planned rounds, and the commands members send. Who sits
 * where is seating.ts, the bots bots.ts, who is told what viewSender.ts, files downloads.ts, the
 * demo demo.ts. The room wires messages in and sends out what this class hands to `send`; the
 * engine decides everything about the round itself. Time comes from a Scheduler, so tests drive
 * it without sleeping.
 */
import {
  DEFAULT_CONFIG,
  ROLES,
  applyAction,
  createRound,
  isOver,
  nextEventAt,
  levelModule,
  releaseUnattendedProxy,
  parseAction,
  startPlay,
  tick,
  type BotBehaviours,
  type DownloadFile,
  type GameServerMessages,
  type Level,
  type ProtocolError,
  type Rng,
  type Role,
  type RoundFile,
  type RoundResult,
  type RoundRsaKeys,
} from '@heist/shared';
import type { Timing } from '../config.ts';
import type { GameState } from '../schema/GameState.ts';
import { TimerSlot, type Scheduler } from '../time/scheduler.ts';
import { protocolError as err } from '../validation/messages.ts';
import { BotPlayer, DEFAULT_BOTS } from './bots.ts';
import { GameClock } from './clock.ts';
import { DemoTour } from './demo.ts';
import { DownloadQuota, seatFile, teacherFile } from './downloads.ts';
import type { RsaKeySource } from './roundKeys.ts';
import { Seating, type MemberInfo, type SeatPlan } from './seating.ts';
import { UnattendedProxy } from './unattendedProxy.ts';
import { ViewSender } from './viewSender.ts';

export { DEFAULT_BOTS } from './bots.ts';
export { DEMO_LEVELS } from './demo.ts';
export { PLAYERS_PER_SEAT, type MemberInfo } from './seating.ts';

type Round = ReturnType<typeof createRound>;

export interface RoundOver {
  roundIndex: number;
  level: Level;
  result: RoundResult;
  /** Seats a bot played when the round ended. */
  botSeats: Role[];
  /** Who held a seat when the round ended (kept seats of dropped players included), by person key. */
  seated: { key: string; role: Role }[];
  startedAt: number;
  endedAt: number;
}

export interface SessionHooks {
  send<K extends keyof GameServerMessages>(sessionId: string, type: K, payload: GameServerMessages[K]): void;
  /** Close one connection: the same person opened the room again elsewhere. */
  disconnect(sessionId: string, reason: string): void;
  roundOver(info: RoundOver): void;
  log(line: string): void;
}

/** Class play: the seats of one round of the match, by person key. */
export interface RoundPlan extends SeatPlan {
  level: Level;
  bots: Partial<BotBehaviours>;
  /** Alice's browser: a returning visitor with HSTS for the bank, or a first visit (unset: as the client bot's behaviour says). */
  clientHsts?: boolean;
  /** Start as soon as these people are in the room, or after `graceMs` at the latest. */
  expected: readonly string[];
  graceMs: number;
}

export class GameSession {
  private round: Round | null = null;
  /** The last round that ended with a result: the teacher's files come from it, while the next one plays. */
  private finished: Round | null = null;
  /** The level of the next round (or of the one being played); the room's state shows it. */
  private level: Level = 1;
  private bots: BotBehaviours = { ...DEFAULT_BOTS };
  private readonly clock: GameClock;
  private readonly engineTimer = new TimerSlot();
  private readonly secondsTimer = new TimerSlot();
  private readonly nextRoundTimer = new TimerSlot();
  private readonly pendingTimer = new TimerSlot();
  private roundStartedAt = 0;
  private roundEndsAt = 0;
  private readonly demo = new DemoTour();
  private disposed = false;
  private readonly seating: Seating;
  private readonly botPlayer: BotPlayer;
  private readonly views: ViewSender;
  /** Class play: this round's plan, and whether its start still waits for players. */
  private plan: RoundPlan | undefined;
  private startPending = false;
  private readonly downloads: DownloadQuota;
  /** Class play: the teacher's plan decides seats, not the players. */
  readonly managed: boolean;
  /** Lets go of what Mallory's proxy holds once nobody is at the attacker seat. */
  private readonly unattended: UnattendedProxy;
  /** Fresh RSA keys for each round (live play); absent, a round picks from the fixed pool by its seed (tests). */
  private readonly rsaKeys: RsaKeySource | undefined;
  /** Counts round starts: one waiting for its keys goes ahead only if nothing started or stopped a round since. */
  private starts = 0;
  /** Who waits for the round being played to end (see `roundEnded`). */
  private endWaiters: (() => void)[] = [];

  constructor(
    readonly state: GameState,
    private readonly rng: Rng,
    private readonly timing: Timing,
    private readonly scheduler: Scheduler,
    private readonly hooks: SessionHooks,
    options: { managed?: boolean; rsaKeys?: RsaKeySource } = {},
  ) {
    this.managed = options.managed ?? false;
    this.rsaKeys = options.rsaKeys;
    const label = `room ${state.code}`;
    this.clock = new GameClock(() => scheduler.now());
    this.unattended = new UnattendedProxy(scheduler, timing.unattendedSeatMs, label, () => this.releaseProxy());
    this.downloads = new DownloadQuota(() => scheduler.now());
    this.views = new ViewSender((sessionId, type, payload) => hooks.send(sessionId, type, payload), scheduler, label);
    this.seating = new Seating(state, this.managed);
    this.seating.assignBots(this.bots);
    this.botPlayer = new BotPlayer(
      {
        playing: () => (this.disposed ? null : this.playing()),
        behaviours: () => this.bots,
        isBot: (role) => this.seating.isBot(role),
        moved: () => this.changed(),
        log: hooks.log,
      },
      scheduler,
      this.clock,
      rng,
      timing.botDelayMs,
      label,
    );
    state.level = this.level;
  }

  /** The referee's round, for in-process inspection (tests and tools); never sent anywhere. */
  get currentRound(): Round | null {
    return this.round;
  }

  /** Resolves once no round is being played: at once if none is, else when it ends (with a result, or stopped). */
  roundEnded(): Promise<void> {
    if (this.state.phase !== 'playing') return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  // ── Members ──────────────────────────────────────────────────────────────

  addMember(sessionId: string, info: MemberInfo): void {
    for (const replaced of this.seating.add(sessionId, info, this.managed ? this.plan : undefined)) {
      this.views.forget(replaced);
      this.hooks.disconnect(replaced, 'You opened this room again in another tab or window; play goes on there.');
    }
    this.seatsChanged();
    this.sendViewTo(sessionId);
    this.maybeBeginPlanned();
  }

  /** Gone for good (left, or did not come back in time): a bot takes the seat if it is now empty. */
  removeMember(sessionId: string): void {
    if (!this.seating.remove(sessionId)) return;
    this.views.forget(sessionId);
    this.seatsChanged();
  }

  /** Dropped: the seat is kept for them (no bot) while they may reconnect. */
  memberDropped(sessionId: string): void {
    this.seating.setConnected(sessionId, false);
    this.checkProxy();
  }

  memberBack(sessionId: string): void {
    if (!this.seating.setConnected(sessionId, true)) return;
    this.checkProxy();
    this.sendViewTo(sessionId);
  }

  isMember(sessionId: string): boolean {
    return this.seating.has(sessionId);
  }

  /** The nickname is held by someone else (a person coming back under their own key may reuse theirs). */
  nicknameTaken(nickname: string, key?: string): boolean {
    return this.seating.nicknameTaken(nickname, key);
  }

  private seatsChanged(): void {
    this.seating.assignBots(this.bots);
    this.checkProxy();
    this.botPlayer.schedule();
  }

  /** Who is at the attacker seat, for the unattended proxy (only while a round is being played). */
  private checkProxy(): void {
    const round = this.playing();
    const people = this.seating.holders('attacker');
    if (!round) return this.unattended.reset(people.length);
    this.unattended.check({
      people: people.length,
      connected: people.filter((m) => m.connected).length,
      holding: round.attacker.intercept || round.attacker.held.length > 0,
    });
  }

  private releaseProxy(): void {
    const round = this.playing();
    if (round && releaseUnattendedProxy(round, this.clock.now())) this.changed();
  }

  // ── Commands from members (payload shapes already checked) ───────────────

  chooseSeat(sessionId: string, role: Role): ProtocolError | null {
    const refused = this.seating.choose(sessionId, role);
    if (refused) return refused;
    this.seatsChanged();
    this.views.requestWhole(sessionId, () => this.sendViewTo(sessionId));
    return null;
  }

  configure(sessionId: string, level: Level, bots: Partial<BotBehaviours>): ProtocolError | null {
    const denied = this.hostOnly(sessionId, 'configure');
    if (denied) return denied;
    if (this.state.phase === 'playing') return err('wrongPhase', 'The round is under way; configure it before it starts.', 'configure');
    this.setLevel(level);
    this.bots = { ...this.bots, ...bots };
    this.seatsChanged();
    return null;
  }

  /** The host starts the round; while it is preparing, starts play without waiting for everyone's Ready. */
  start(sessionId: string): ProtocolError | null {
    const denied = this.hostOnly(sessionId, 'start');
    if (denied) return denied;
    const round = this.playing();
    if (round?.phase === 'preparing') {
      startPlay(round, this.clock.now());
      this.changed();
      return null;
    }
    if (this.state.phase === 'playing') return err('wrongPhase', 'The round has already started.', 'start');
    this.startRound();
    return null;
  }

  setSpeedBy(sessionId: string, speed: number): ProtocolError | null {
    // Whoever opened a demo may pause it and change its speed; nothing else about it.
    const denied = this.state.demo && this.seating.isHost(sessionId) ? null : this.hostOnly(sessionId, 'setSpeed');
    if (denied) return denied;
    this.setSpeed(speed);
    return null;
  }

  act(sessionId: string, raw: unknown): ProtocolError | null {
    const role = this.seating.roleOf(sessionId);
    if (role === undefined) return err('notAllowed', 'Take a seat to play.', 'action');
    const round = this.playing();
    if (!round) return err('wrongPhase', 'No round is being played.', 'action');
    if (this.clock.speed === 0) return err('wrongPhase', 'The game is paused.', 'action');
    const action = parseAction(role, raw);
    if ('code' in action) return { ...action, type: 'action' };
    // Students sharing a seat press Ready together: what the later press asks is done already.
    if (action.type === 'ready' && (round.ready.has(role) || round.phase === 'playing')) return null;
    const rejected = applyAction(round, role, action, this.clock.now(), this.seating.nicknameOf(sessionId));
    if (rejected) return { ...rejected, type: 'action' };
    this.changed();
    return null;
  }

  /** A seat asks for one of this round's files: the engine decides whether it may have it. */
  download(sessionId: string, file: DownloadFile): ProtocolError | null {
    const got = seatFile(this.downloads, this.round, this.seating.roleOf(sessionId), file);
    if ('code' in got) return got;
    this.hooks.send(sessionId, 'download', got);
    return null;
  }

  /** The class's teacher (the room has checked who asks): a file of the last finished round. */
  teacherFile(file: DownloadFile): RoundFile | ProtocolError {
    return teacherFile(this.downloads, this.finished, file);
  }

  private hostOnly(sessionId: string, type: string): ProtocolError | null {
    if (this.managed) return err('notAllowed', 'The teacher runs this room.', type);
    if (this.state.demo) return err('notAllowed', 'The demo runs by itself.', type);
    if (!this.seating.isHost(sessionId)) return err('notAllowed', 'Only the host can do that.', type);
    return null;
  }

  /** The browser lost track of its view: send it whole (at once, or when this connection's turn comes: wholeViews.ts). */
  resync(sessionId: string): ProtocolError | null {
    if (!this.seating.has(sessionId)) return err('notAllowed', 'You are not in this room.', 'resync');
    this.views.requestWhole(sessionId, () => this.sendViewTo(sessionId));
    return null;
  }

  // ── Class play ───────────────────────────────────────────────────────────

  /**
   * Seat everyone by the teacher's plan for the next round, and start it as soon as every
   * expected player is here (students already in the room from the last round are), or after
   * the grace period at the latest. A round still being played is stopped first.
   */
  planRound(plan: RoundPlan, notice = ''): void {
    if (this.state.phase === 'playing') this.interrupt(notice);
    this.plan = plan;
    this.state.notice = notice;
    this.seating.follow(plan);
    this.seatsChanged();
    this.startPending = true;
    this.pendingTimer.set(this.scheduler.after(plan.graceMs, `room ${this.state.code}: planned start`, () => this.beginPlanned()));
    this.maybeBeginPlanned();
  }

  /** Stop the round being played, without a result (the teacher moved on or ended the match). */
  interrupt(notice: string): void {
    this.starts++; // a round still waiting for its keys does not start
    this.pendingTimer.clear();
    this.startPending = false;
    if (this.state.phase !== 'playing') return;
    this.clearTimers();
    this.round = null;
    this.state.phase = 'over';
    this.state.secondsLeft = 0;
    this.state.lastOutcome = 'interrupted';
    this.state.lastSummary = notice;
    this.state.notice = notice;
    this.ended();
  }

  private maybeBeginPlanned(): void {
    if (!this.startPending || !this.plan) return;
    const present = this.seating.presentKeys();
    if (this.plan.expected.every((key) => present.has(key))) this.beginPlanned();
  }

  private beginPlanned(): void {
    this.pendingTimer.clear();
    if (!this.startPending || !this.plan) return;
    this.startPending = false;
    this.startRound(this.plan.level, this.plan.bots, this.plan.clientHsts);
  }

  // ── The round ─────────────────────────────────────────────────────────────

  /**
   * Start (or restart) a round; class play and demo mode pass the level and bots, class play Alice's
   * browser. At the RSA levels the round waits for its fresh keys when none are ready (roundKeys.ts).
   */
  startRound(level?: Level, bots?: Partial<BotBehaviours>, clientHsts?: boolean): void {
    if (this.disposed) return;
    this.clearTimers();
    if (level !== undefined) this.setLevel(level);
    if (bots) this.bots = { ...this.bots, ...bots };
    const start = ++this.starts;
    const keys = levelModule(this.level).encryptionKeyType === 'rsa' ? this.rsaKeys?.take() : undefined;
    if (!(keys instanceof Promise)) return this.beginRound(keys, clientHsts);
    keys
      .then((given) => {
        if (start === this.starts && !this.disposed) this.beginRound(given, clientHsts);
      })
      .catch((e: unknown) => this.hooks.log(`room ${this.state.code}: the round could not start: ${(e as Error)?.stack ?? e}`));
  }

  private beginRound(rsaKeys: RoundRsaKeys | undefined, clientHsts: boolean | undefined): void {
    const now = this.clock.now();
    const seed = this.rng.fork(`round-${this.state.round + 1}`);
    this.round = createRound(
      {
        level: this.level,
        bots: this.bots,
        durationMs: this.timing.roundMs,
        prepareMs: this.timing.prepareMs,
        // People say Ready before play begins; bots are ready once prepared.
        humanSeats: ROLES.filter((role) => !this.seating.isBot(role)),
        latencyMs: this.timing.latencyMs,
        graceMs: this.timing.closingMs,
        gameClock: DEFAULT_CONFIG.gameClock,
        ...(clientHsts !== undefined ? { clientHsts } : {}),
      },
      seed,
      now,
      rsaKeys,
    );
    this.state.round += 1;
    this.state.phase = 'playing';
    this.views.newRound();
    this.roundStartedAt = this.scheduler.now();
    this.roundEndsAt = now + this.timing.roundMs;
    this.state.lastOutcome = '';
    this.state.lastSummary = '';
    this.unattended.reset(this.seating.holders('attacker').length);
    this.seatsChanged();
    this.updateSecondsLeft();
    this.secondsTimer.set(this.scheduler.every(1000, `room ${this.state.code}: seconds`, () => this.updateSecondsLeft()));
    this.botPlayer.setUp();
    this.changed();
  }

  /** Demo mode: four bots, one level after another, forever (until the room empties). */
  startDemo(): void {
    this.state.demo = true;
    const { level, bots } = this.demo.next();
    this.startRound(level, bots);
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
    this.state.speed = speed;
    if (this.state.phase === 'playing') {
      this.scheduleEngine();
      this.botPlayer.clear();
      this.botPlayer.schedule();
    }
  }

  /** Something in the round changed: end it if it is over, tell every seat, plan the next wake. */
  private changed(): void {
    const round = this.round;
    if (!round) return;
    if (this.state.phase === 'playing' && isOver(round)) this.finishRound(round);
    this.views.toAll(round, this.seating.audience(), this.spectatorScope());
    if (this.state.phase === 'playing') {
      this.scheduleEngine();
      this.botPlayer.schedule();
      this.checkProxy();
    }
  }

  private finishRound(round: Round): void {
    const result = round.result;
    this.clearTimers();
    this.state.phase = 'over';
    this.state.secondsLeft = 0;
    this.ended();
    if (!result) {
      this.hooks.log(`room ${this.state.code}: round over without a result`);
      return;
    }
    this.finished = round;
    for (const role of ROLES) this.seating.seat(role).points += result.points[role] ?? 0;
    this.state.lastOutcome = result.outcome;
    this.state.lastSummary = result.summary;
    const info: RoundOver = {
      roundIndex: this.state.round - 1,
      level: this.level,
      result,
      botSeats: ROLES.filter((r) => this.seating.isBot(r)),
      seated: this.seating.seated(),
      startedAt: this.roundStartedAt,
      endedAt: this.scheduler.now(),
    };
    try {
      this.hooks.roundOver(info);
    } catch (e) {
      this.hooks.log(`room ${this.state.code}: recording the round failed: ${(e as Error)?.stack ?? e}`);
    }
    if (this.state.demo) this.nextRoundTimer.set(this.scheduler.after(this.timing.betweenRoundsMs, `room ${this.state.code}: demo`, () => this.startDemo()));
  }

  private ended(): void {
    for (const resolve of this.endWaiters.splice(0)) resolve();
  }

  private updateSecondsLeft(): void {
    if (this.state.phase !== 'playing') return;
    // The engine's round ends its current phase at endsAt: the preparation limit, then the round timer.
    this.state.secondsLeft = Math.max(0, Math.ceil(((this.round?.endsAt ?? this.roundEndsAt) - this.clock.now()) / 1000));
  }

  private scheduleEngine(): void {
    this.engineTimer.clear();
    const round = this.playing();
    if (!round) return;
    const at = nextEventAt(round);
    if (at === null) return;
    const delay = this.clock.realDelayUntil(at);
    if (delay === null) return;
    this.engineTimer.set(
      this.scheduler.after(Math.ceil(delay), `room ${this.state.code}: tick`, () => {
        this.engineTimer.fired();
        const playing = this.playing();
        if (!playing) return;
        tick(playing, this.clock.now());
        this.changed();
      }),
    );
  }

  // ── Who is told what ────────────────────────────────────────────────────

  private sendViewTo(sessionId: string): void {
    const round = this.round;
    if (!round || !this.seating.audience().some((a) => a.sessionId === sessionId)) return;
    this.views.toOne(round, sessionId, this.seating.roleOf(sessionId), this.spectatorScope());
  }

  /** Watchers of a demo (nobody plays) may see everything; elsewhere only what every seat sees. */
  private spectatorScope(): 'public' | 'everything' {
    return this.state.demo ? 'everything' : 'public';
  }

  // ── Housekeeping ───────────────────────────────────────────────────────────

  /** The round, while it is being played. */
  private playing(): Round | null {
    return this.state.phase === 'playing' ? this.round : null;
  }

  private setLevel(level: Level): void {
    this.level = level;
    this.state.level = level;
  }

  private clearTimers(): void {
    this.engineTimer.clear();
    this.botPlayer.clear();
    this.secondsTimer.clear();
    this.nextRoundTimer.clear();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimers();
    this.pendingTimer.clear();
    this.unattended.dispose();
    this.views.dispose();
  }
}
