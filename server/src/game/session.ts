/**
 * One game room's play, without Colyseus: members and seats, the round (run by the shared
 * rules engine), bots in empty seats, the game clock, and who is told what. The room wires
 * messages in and sends out what this class hands to `send`; the engine decides everything
 * about the round itself. Time comes from a Scheduler, so tests drive it without sleeping.
 */
import {
  BOT_ORDER,
  DEFAULT_CONFIG,
  download,
  LEVELS,
  ROLES,
  applyAction,
  botAction,
  createRound,
  isOver,
  nextEventAt,
  levelModule,
  releaseUnattendedProxy,
  parseAction,
  startPlay,
  spectatorView,
  tick,
  viewFor,
  type BotBehaviours,
  type DownloadFile,
  type GameServerMessages,
  type Level,
  type ProtocolError,
  type Rng,
  type Role,
  type RoleView,
  type RoundFile,
  type RoundResult,
  type RoundRsaKeys,
  type SpectatorView,
} from '@heist/shared';
import type { Timing } from '../config.ts';
import { Member, Seat, type GameState } from '../schema/GameState.ts';
import { TimerSlot, type Scheduler } from '../time/scheduler.ts';
import { sameNickname } from '../validation/names.ts';
import { GameClock } from './clock.ts';
import { UnattendedProxy } from './unattendedProxy.ts';
import { DownloadQuota } from './downloads.ts';
import type { RsaKeySource } from './roundKeys.ts';
import { ViewChannels } from './viewChannels.ts';
import { WholeViewPacer } from './wholeViews.ts';

type Round = ReturnType<typeof createRound>;

/**
 * People in one seat of a casual room: a team of friends, not the whole room (every connection
 * in a seat is sent its views). Class rooms seat people by the teacher's plan.
 */
export const PLAYERS_PER_SEAT = 6;

export const DEFAULT_BOTS: BotBehaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' };

/** Demo mode walks through the levels in the game's order (1, 2, 3, 4, 4e, 5), each with the attack its module says the bots play. */
export const DEMO_LEVELS: readonly Level[] = LEVELS;

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

export interface MemberInfo {
  nickname: string;
  host?: boolean;
  team?: string;
  /**
   * Who this is across connections: a class player's id, or a casual player's device key. One
   * person holds one connection and one seat; a second connection replaces the first, and a
   * person who comes back gets the seat they had.
   */
  key?: string;
  /** Watches only (the teacher's projector): never seated. */
  watcher?: boolean;
}

/** Class play: the seats of one round of the match, by person key. */
export interface RoundPlan {
  level: Level;
  bots: Partial<BotBehaviours>;
  /** Alice's browser: a returning visitor with HSTS for the bank, or a first visit (unset: as the client bot's behaviour says). */
  clientHsts?: boolean;
  seats: ReadonlyMap<string, Role>;
  teamOf: ReadonlyMap<string, string>;
  /** Start as soon as these people are in the room, or after `graceMs` at the latest. */
  expected: readonly string[];
  graceMs: number;
}

const err = (code: ProtocolError['code'], message: string, type?: string): ProtocolError => ({ code, message, type });

export class GameSession {
  private round: Round | null = null;
  /** The last round that ended with a result: the teacher's files come from it, while the next one plays. */
  private finished: Round | null = null;
  private bots: BotBehaviours = { ...DEFAULT_BOTS };
  private readonly clock: GameClock;
  private readonly engineTimer = new TimerSlot();
  private readonly botTimer = new TimerSlot();
  private readonly secondsTimer = new TimerSlot();
  private readonly nextRoundTimer = new TimerSlot();
  private readonly pendingTimer = new TimerSlot();
  private roundStartedAt = 0;
  private roundEndsAt = 0;
  private demoStep = 0;
  private disposed = false;
  /** Person key of each connection. */
  private readonly keyOf = new Map<string, string>();
  /** Casual rooms: the seat each person last took, returned when they come back. */
  private readonly seatOfKey = new Map<string, Role>();
  /** Class play: this round's plan, and whether its start still waits for players. */
  private plan: RoundPlan | undefined;
  private startPending = false;
  /** What each connection last got, so the next view goes out as changes. */
  private readonly channels = new ViewChannels<RoleView | SpectatorView>();
  private readonly deliveredAsSeat = new Map<string, boolean>();
  private readonly downloads: DownloadQuota;
  private readonly wholeViews: WholeViewPacer;
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
    this.clock = new GameClock(() => scheduler.now());
    this.unattended = new UnattendedProxy(scheduler, timing.unattendedSeatMs, `room ${state.code}`, () => this.releaseProxy());
    this.downloads = new DownloadQuota(() => scheduler.now());
    this.wholeViews = new WholeViewPacer(scheduler, `room ${state.code}`);
    for (const role of ROLES) state.seats.set(role, new Seat().assign({ role, bot: true, behaviour: this.bots[role] }));
  }

  /** Resolves once no round is being played: at once if none is, else when it ends (with a result, or stopped). */
  roundEnded(): Promise<void> {
    if (this.state.phase !== 'playing') return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  private ended(): void {
    for (const resolve of this.endWaiters.splice(0)) resolve();
  }

  /** The referee's round, for in-process inspection (tests and tools); never sent anywhere. */
  get currentRound(): Round | null {
    return this.round;
  }

  // ── Members ──────────────────────────────────────────────────────────────

  addMember(sessionId: string, info: MemberInfo): void {
    const key = info.watcher ? undefined : info.key;
    let role: Role | '' = '';
    let host = info.host ?? false;
    if (key !== undefined) {
      for (const [other, otherKey] of [...this.keyOf]) {
        if (otherKey !== key) continue;
        const old = this.state.members.get(other);
        host ||= old?.host ?? false;
        this.dropConnection(other);
        this.hooks.disconnect(other, 'You opened this room again in another tab or window; play goes on there.');
      }
      this.keyOf.set(sessionId, key);
      role = this.managed ? (this.plan?.seats.get(key) ?? '') : (this.seatOfKey.get(key) ?? '');
    }
    this.state.members.set(
      sessionId,
      new Member().assign({ sessionId, nickname: info.nickname, host, team: (key && this.plan?.teamOf.get(key)) || info.team || '', role, watcher: info.watcher ?? false }),
    );
    this.seatsChanged();
    this.sendViewTo(sessionId);
    this.maybeBeginPlanned();
  }

  /** Gone for good (left, or did not come back in time): a bot takes the seat if it is now empty. */
  removeMember(sessionId: string): void {
    const m = this.state.members.get(sessionId);
    if (!m) return;
    this.dropConnection(sessionId);
    if (m.host) {
      const next = [...this.state.members.values()].find((x) => x.connected && !x.watcher);
      if (next) next.host = true;
    }
    this.seatsChanged();
  }

  private dropConnection(sessionId: string): void {
    this.state.members.delete(sessionId);
    this.keyOf.delete(sessionId);
    this.channels.forget(sessionId);
    this.deliveredAsSeat.delete(sessionId);
    this.wholeViews.forget(sessionId);
  }

  /** Dropped: the seat is kept for them (no bot) while they may reconnect. */
  memberDropped(sessionId: string): void {
    const m = this.state.members.get(sessionId);
    if (m) m.connected = false;
    this.checkProxy();
  }

  memberBack(sessionId: string): void {
    const m = this.state.members.get(sessionId);
    if (!m) return;
    m.connected = true;
    this.checkProxy();
    this.sendViewTo(sessionId);
  }

  isMember(sessionId: string): boolean {
    return this.state.members.has(sessionId);
  }

  /** The nickname is held by someone else (a person coming back under their own key may reuse theirs). */
  nicknameTaken(nickname: string, key?: string): boolean {
    return [...this.state.members.values()].some((m) => sameNickname(m.nickname, nickname) && (key === undefined || this.keyOf.get(m.sessionId) !== key));
  }

  private holders(role: Role): Member[] {
    return [...this.state.members.values()].filter((m) => m.role === role);
  }

  private seatsChanged(): void {
    for (const role of ROLES) {
      const seat = this.state.seats.get(role)!;
      seat.bot = this.holders(role).length === 0;
      seat.behaviour = this.bots[role];
    }
    this.checkProxy();
    this.scheduleBots();
  }

  /** Who is at the attacker seat, for the unattended proxy (only while a round is being played). */
  private checkProxy(): void {
    const round = this.round;
    const people = this.holders('attacker');
    if (!round || this.state.phase !== 'playing') return this.unattended.reset(people.length);
    this.unattended.check({
      people: people.length,
      connected: people.filter((m) => m.connected).length,
      holding: round.attacker.intercept || round.attacker.held.length > 0,
    });
  }

  private releaseProxy(): void {
    const round = this.round;
    if (!round || this.state.phase !== 'playing') return;
    if (releaseUnattendedProxy(round, this.clock.now())) this.changed();
  }

  // ── Commands from members (payload shapes already checked) ───────────────

  chooseSeat(sessionId: string, role: Role): ProtocolError | null {
    const m = this.state.members.get(sessionId);
    if (!m) return err('notAllowed', 'You are not in this room.', 'chooseSeat');
    if (this.managed || this.state.demo || m.watcher) return err('notAllowed', 'Seats are assigned in this room.', 'chooseSeat');
    // Taking or changing a seat mid-round would hand one role's secrets to someone else.
    if (this.state.phase === 'playing') return err('wrongPhase', 'Seats change between rounds: watch this one, then pick your seat.', 'chooseSeat');
    if (m.role !== role && this.holders(role).length >= PLAYERS_PER_SEAT)
      return err('notAllowed', `The ${role} seat already has ${PLAYERS_PER_SEAT} players: pick another seat, or watch.`, 'chooseSeat');
    m.role = role;
    const key = this.keyOf.get(sessionId);
    if (key !== undefined) this.seatOfKey.set(key, role);
    this.seatsChanged();
    this.wholeViews.request(sessionId, () => this.sendViewTo(sessionId));
    return null;
  }

  configure(sessionId: string, level: Level, bots: Partial<BotBehaviours>): ProtocolError | null {
    const denied = this.hostOnly(sessionId, 'configure');
    if (denied) return denied;
    if (this.state.phase === 'playing') return err('wrongPhase', 'The round is under way; configure it before it starts.', 'configure');
    this.state.level = level;
    this.bots = { ...this.bots, ...bots };
    this.seatsChanged();
    return null;
  }

  /** The host starts the round; while it is preparing, starts play without waiting for everyone's Ready. */
  start(sessionId: string): ProtocolError | null {
    const denied = this.hostOnly(sessionId, 'start');
    if (denied) return denied;
    const round = this.round;
    if (this.state.phase === 'playing' && round?.phase === 'preparing') {
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
    const denied = this.state.demo && this.state.members.get(sessionId)?.host ? null : this.hostOnly(sessionId, 'setSpeed');
    if (denied) return denied;
    this.setSpeed(speed);
    return null;
  }

  act(sessionId: string, raw: unknown): ProtocolError | null {
    const m = this.state.members.get(sessionId);
    if (!m || m.role === '') return err('notAllowed', 'Take a seat to play.', 'action');
    const round = this.round;
    if (!round || this.state.phase !== 'playing') return err('wrongPhase', 'No round is being played.', 'action');
    if (this.clock.speed === 0) return err('wrongPhase', 'The game is paused.', 'action');
    const role = m.role as Role;
    const action = parseAction(role, raw);
    if ('code' in action) return { ...action, type: 'action' };
    // Students sharing a seat press Ready together: what the later press asks is done already.
    if (action.type === 'ready' && (round.ready.has(role) || round.phase === 'playing')) return null;
    const rejected = applyAction(round, role, action, this.clock.now(), m.nickname);
    if (rejected) return { ...rejected, type: 'action' };
    this.changed();
    return null;
  }

  /** A seat asks for one of this round's files: the engine decides whether it may have it. */
  download(sessionId: string, file: DownloadFile): ProtocolError | null {
    const m = this.state.members.get(sessionId);
    if (!m || m.role === '') return err('notAllowed', 'Only a seat of this round has files to download.', 'download');
    if (!this.round) return err('wrongPhase', 'No round has been played yet.', 'download');
    const got = download(this.round, m.role as Role, file);
    if ('code' in got) return { ...got, type: 'download' };
    const rationed = this.downloads.spend(m.role as Role, got.bytes.byteLength);
    if (rationed) return rationed;
    this.hooks.send(sessionId, 'download', got);
    return null;
  }

  /** The class's teacher (the room has checked who asks): a file of the last finished round. */
  teacherFile(file: DownloadFile): RoundFile | ProtocolError {
    if (!this.finished) return err('wrongPhase', 'No round of this room has ended yet.', 'download');
    const got = download(this.finished, 'teacher', file);
    if ('code' in got) return { ...got, type: 'download' };
    return this.downloads.spend('teacher', got.bytes.byteLength) ?? got;
  }

  private hostOnly(sessionId: string, type: string): ProtocolError | null {
    if (this.managed) return err('notAllowed', 'The teacher runs this room.', type);
    if (this.state.demo) return err('notAllowed', 'The demo runs by itself.', type);
    if (!this.state.members.get(sessionId)?.host) return err('notAllowed', 'Only the host can do that.', type);
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
    for (const m of this.state.members.values()) {
      const key = this.keyOf.get(m.sessionId);
      if (m.watcher || key === undefined) continue;
      m.role = plan.seats.get(key) ?? '';
      m.team = plan.teamOf.get(key) ?? m.team;
    }
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
    const present = new Set<string>();
    for (const m of this.state.members.values()) {
      const key = this.keyOf.get(m.sessionId);
      if (key !== undefined && m.connected) present.add(key);
    }
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
    if (level !== undefined) this.state.level = level;
    if (bots) this.bots = { ...this.bots, ...bots };
    const start = ++this.starts;
    const keys = levelModule(this.state.level as Level).encryptionKeyType === 'rsa' ? this.rsaKeys?.take() : undefined;
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
        level: this.state.level as Level,
        bots: this.bots,
        durationMs: this.timing.roundMs,
        prepareMs: this.timing.prepareMs,
        // People say Ready before play begins; bots are ready once prepared.
        humanSeats: ROLES.filter((role) => !this.state.seats.get(role)!.bot),
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
    this.channels.clear();
    this.roundStartedAt = this.scheduler.now();
    this.roundEndsAt = now + this.timing.roundMs;
    this.state.lastOutcome = '';
    this.state.lastSummary = '';
    this.unattended.reset(this.holders('attacker').length);
    this.seatsChanged();
    this.updateSecondsLeft();
    this.secondsTimer.set(this.scheduler.every(1000, `room ${this.state.code}: seconds`, () => this.updateSecondsLeft()));
    this.prepareAttackerBot();
    this.changed();
  }

  /**
   * A bot attacker is already on the Wi-Fi when the round opens: her setup moves (intercept,
   * substitution, stripping, a certificate request) happen at once, not after a human-like
   * pause that a quick human client would beat.
   */
  private prepareAttackerBot(): void {
    const round = this.round;
    if (!round || !this.state.seats.get('attacker')!.bot) return;
    for (let i = 0; i < 5; i++) {
      const action = botAction(viewFor(round, 'attacker'), this.bots, this.rng);
      if (!action || applyAction(round, 'attacker', action, this.clock.now())) return;
    }
  }

  /** Demo mode: four bots, one level after another, forever (until the room empties). */
  startDemo(): void {
    this.state.demo = true;
    const level = DEMO_LEVELS[this.demoStep++ % DEMO_LEVELS.length]!;
    this.startRound(level, { ...DEFAULT_BOTS, attacker: levelModule(level).botAttack });
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
    this.state.speed = speed;
    if (this.state.phase === 'playing') {
      this.scheduleEngine();
      this.botTimer.clear();
      this.scheduleBots();
    }
  }

  /** Something in the round changed: end it if it is over, tell every seat, plan the next wake. */
  private changed(): void {
    const round = this.round;
    if (!round) return;
    if (this.state.phase === 'playing' && isOver(round)) this.finishRound(round);
    this.sendViews();
    if (this.state.phase === 'playing') {
      this.scheduleEngine();
      this.scheduleBots();
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
    for (const role of ROLES) this.state.seats.get(role)!.points += result.points[role] ?? 0;
    this.state.lastOutcome = result.outcome;
    this.state.lastSummary = result.summary;
    const seated: RoundOver['seated'] = [];
    for (const m of this.state.members.values()) {
      const key = this.keyOf.get(m.sessionId);
      if (m.role !== '' && key !== undefined) seated.push({ key, role: m.role as Role });
    }
    const info: RoundOver = {
      roundIndex: this.state.round - 1,
      level: this.state.level as Level,
      result,
      botSeats: ROLES.filter((r) => this.state.seats.get(r)!.bot),
      seated,
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

  private updateSecondsLeft(): void {
    if (this.state.phase !== 'playing') return;
    // The engine's round ends its current phase at endsAt: the preparation limit, then the round timer.
    this.state.secondsLeft = Math.max(0, Math.ceil(((this.round?.endsAt ?? this.roundEndsAt) - this.clock.now()) / 1000));
  }

  private scheduleEngine(): void {
    this.engineTimer.clear();
    const round = this.round;
    if (!round || this.state.phase !== 'playing') return;
    const at = nextEventAt(round);
    if (at === null) return;
    const delay = this.clock.realDelayUntil(at);
    if (delay === null) return;
    this.engineTimer.set(
      this.scheduler.after(Math.ceil(delay), `room ${this.state.code}: tick`, () => {
        this.engineTimer.fired();
        if (!this.round || this.state.phase !== 'playing') return;
        tick(this.round, this.clock.now());
        this.changed();
      }),
    );
  }

  /**
   * Bots take turns, one move at a time after a human-like pause, in the engine's BOT_ORDER
   * (the attacker sets up her tools before the client dials, as in the engine's simulations).
   * Re-planned after every change; quiet when no bot has anything to do.
   */
  private scheduleBots(): void {
    if (this.disposed || !this.round || this.state.phase !== 'playing' || this.clock.speed === 0 || this.botTimer.pending) return;
    if (!ROLES.some((role) => this.state.seats.get(role)!.bot)) return;
    const [min, max] = this.timing.botDelayMs;
    const delay = this.clock.realDuration(min + this.rng.int(Math.max(1, max - min + 1)))!;
    this.botTimer.set(
      this.scheduler.after(delay, `room ${this.state.code}: bot`, () => {
        this.botTimer.fired();
        this.botMove();
      }),
    );
  }

  private botMove(): void {
    const round = this.round;
    if (!round || this.state.phase !== 'playing') return;
    for (const role of BOT_ORDER) {
      if (!this.state.seats.get(role)!.bot) continue;
      const action = botAction(viewFor(round, role), this.bots, this.rng);
      if (!action) continue;
      const rejected = applyAction(round, role, action, this.clock.now());
      if (rejected) {
        this.hooks.log(`room ${this.state.code}: ${role} bot's ${action.type} rejected: ${rejected.code} ${rejected.message}`);
        continue;
      }
      return this.changed();
    }
    // Nothing to do until something changes.
  }

  // ── Who is told what ────────────────────────────────────────────────────

  private sendViews(): void {
    const round = this.round;
    if (!round) return;
    const views = new Map<Role, RoleView>();
    let spectate: SpectatorView | undefined;
    for (const m of this.state.members.values()) {
      if (!m.connected) continue;
      if (m.role !== '') {
        const role = m.role as Role;
        let view = views.get(role);
        if (!view) views.set(role, (view = viewFor(round, role)));
        this.deliver(m.sessionId, view);
      } else {
        this.deliver(m.sessionId, (spectate ??= spectatorView(round, this.spectatorScope())));
      }
    }
  }

  private sendViewTo(sessionId: string): void {
    const round = this.round;
    const m = this.state.members.get(sessionId);
    if (!round || !m || !m.connected) return;
    this.channels.forget(sessionId);
    this.deliver(sessionId, m.role !== '' ? viewFor(round, m.role as Role) : spectatorView(round, this.spectatorScope()));
  }

  /** A seat's view goes out as `view`/`viewPatch`, a watcher's as `spectate`/`spectatePatch`. */
  private deliver(sessionId: string, view: RoleView | SpectatorView): void {
    const seat = 'role' in view;
    // A connection moving between seat and watching starts afresh.
    if (this.deliveredAsSeat.get(sessionId) !== seat) this.channels.forget(sessionId);
    this.deliveredAsSeat.set(sessionId, seat);
    const d = this.channels.next(sessionId, view);
    if (!d) return;
    if ('whole' in d) {
      if ('role' in d.whole) this.hooks.send(sessionId, 'view', d.whole);
      else this.hooks.send(sessionId, 'spectate', d.whole);
    } else this.hooks.send(sessionId, seat ? 'viewPatch' : 'spectatePatch', { ops: d.patch });
  }

  /** The browser lost track of its view: send it whole (at once, or when this connection's turn comes: wholeViews.ts). */
  resync(sessionId: string): ProtocolError | null {
    if (!this.state.members.has(sessionId)) return err('notAllowed', 'You are not in this room.', 'resync');
    this.wholeViews.request(sessionId, () => this.sendViewTo(sessionId));
    return null;
  }

  /** Watchers of a demo (nobody plays) may see everything; elsewhere only what every seat sees. */
  private spectatorScope(): 'public' | 'everything' {
    return this.state.demo ? 'everything' : 'public';
  }

  // ── Housekeeping ───────────────────────────────────────────────────────────

  private clearTimers(): void {
    this.engineTimer.clear();
    this.botTimer.clear();
    this.secondsTimer.clear();
    this.nextRoundTimer.clear();
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimers();
    this.pendingTimer.clear();
    this.unattended.dispose();
    this.wholeViews.dispose();
  }
}
