/**
 * One game room's play, without Colyseus: members and seats, the round (run by the shared
 * rules engine), bots in empty seats, the game clock, and who is told what. The room wires
 * messages in and sends out what this class hands to `send`; the engine decides everything
 * about the round itself.
 */
import {
  BOT_ORDER,
  DEFAULT_CONFIG,
  ROLES,
  applyAction,
  botAction,
  createRound,
  isOver,
  nextEventAt,
  parseAction,
  spectatorView,
  tick,
  viewFor,
  type BotBehaviours,
  type GameServerMessages,
  type Level,
  type ProtocolError,
  type Rng,
  type Role,
  type RoleView,
  type RoundResult,
  type SpectatorView,
} from '@heist/shared';
import type { Timing } from '../config.ts';
import { Member, Seat, type GameState } from '../schema/GameState.ts';
import { GameClock } from './clock.ts';

type Round = ReturnType<typeof createRound>;

export const DEFAULT_BOTS: BotBehaviours = { client: 'careful', server: 'standard', ca: 'strict', attacker: 'passive' };

/** Demo mode walks through the levels, each with the attack that level is about. */
export const DEMO_SCRIPT: readonly { level: Level; attacker: BotBehaviours['attacker'] }[] = [
  { level: 1, attacker: 'passive' },
  { level: 2, attacker: 'passive' },
  { level: 3, attacker: 'keySubstitution' },
  { level: 4, attacker: 'fakeCertificate' },
  { level: 5, attacker: 'passive' },
];

export interface RoundOver {
  roundIndex: number;
  level: Level;
  result: RoundResult;
  /** Seats a bot played when the round ended. */
  botSeats: Role[];
  /** Who held a seat when the round ended (kept seats of dropped players included). */
  seated: { sessionId: string; role: Role }[];
  startedAt: number;
  endedAt: number;
}

export interface SessionHooks {
  send<K extends keyof GameServerMessages>(sessionId: string, type: K, payload: GameServerMessages[K]): void;
  roundOver(info: RoundOver): void;
  log(line: string): void;
}

export interface MemberInfo {
  nickname: string;
  host?: boolean;
  team?: string;
  role?: Role | '';
}

const err = (code: ProtocolError['code'], message: string, type?: string): ProtocolError => ({ code, message, type });

export class GameSession {
  private round: Round | null = null;
  private bots: BotBehaviours = { ...DEFAULT_BOTS };
  private readonly clock = new GameClock();
  private engineTimer: NodeJS.Timeout | undefined;
  private botTimer: NodeJS.Timeout | undefined;
  private secondsTimer: NodeJS.Timeout | undefined;
  private nextRoundTimer: NodeJS.Timeout | undefined;
  private roundStartedAt = 0;
  private roundEndsAt = 0;
  private demoStep = 0;
  private disposed = false;
  /** Class play: the teacher's plan decides seats, not the players. */
  readonly managed: boolean;

  constructor(
    readonly state: GameState,
    private readonly rng: Rng,
    private readonly timing: Timing,
    private readonly hooks: SessionHooks,
    options: { managed?: boolean } = {},
  ) {
    this.managed = options.managed ?? false;
    for (const role of ROLES) state.seats.set(role, new Seat().assign({ role, bot: true, behaviour: this.bots[role] }));
  }

  /** The referee's round, for in-process inspection (tests and tools); never sent anywhere. */
  get currentRound(): Round | null {
    return this.round;
  }

  // ── Members ──────────────────────────────────────────────────────────────

  addMember(sessionId: string, info: MemberInfo): void {
    this.state.members.set(
      sessionId,
      new Member().assign({ sessionId, nickname: info.nickname, host: info.host ?? false, team: info.team ?? '', role: info.role ?? '' }),
    );
    this.seatsChanged();
    this.sendViewTo(sessionId);
  }

  /** Gone for good (left, or did not come back in time): a bot takes the seat if it is now empty. */
  removeMember(sessionId: string): void {
    const m = this.state.members.get(sessionId);
    if (!m) return;
    this.state.members.delete(sessionId);
    if (m.host) {
      const next = [...this.state.members.values()].find((x) => x.connected);
      if (next) next.host = true;
    }
    this.seatsChanged();
  }

  /** Dropped: the seat is kept for them (no bot) while they may reconnect. */
  memberDropped(sessionId: string): void {
    const m = this.state.members.get(sessionId);
    if (m) m.connected = false;
  }

  memberBack(sessionId: string): void {
    const m = this.state.members.get(sessionId);
    if (!m) return;
    m.connected = true;
    this.sendViewTo(sessionId);
  }

  isMember(sessionId: string): boolean {
    return this.state.members.has(sessionId);
  }

  nicknameTaken(nickname: string): boolean {
    const lower = nickname.toLocaleLowerCase();
    return [...this.state.members.values()].some((m) => m.nickname.toLocaleLowerCase() === lower);
  }

  /** Class play: seat every member by the plan (members keyed by session; the room maps players). */
  applyPlan(roleOf: (sessionId: string) => Role | '', teamOf: (sessionId: string) => string): void {
    for (const m of this.state.members.values()) {
      m.role = roleOf(m.sessionId);
      m.team = teamOf(m.sessionId);
    }
    this.seatsChanged();
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
    this.scheduleBots();
  }

  // ── Commands from members (payload shapes already checked) ───────────────

  chooseSeat(sessionId: string, role: Role): ProtocolError | null {
    const m = this.state.members.get(sessionId);
    if (!m) return err('notAllowed', 'You are not in this room.', 'chooseSeat');
    if (this.managed || this.state.demo) return err('notAllowed', 'Seats are assigned in this room.', 'chooseSeat');
    // Moving seats mid-round would carry one role's secrets into another.
    if (this.state.phase === 'playing' && m.role !== '') return err('wrongPhase', 'You can change seats between rounds.', 'chooseSeat');
    m.role = role;
    this.seatsChanged();
    this.sendViewTo(sessionId);
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

  start(sessionId: string): ProtocolError | null {
    const denied = this.hostOnly(sessionId, 'start');
    if (denied) return denied;
    if (this.state.phase === 'playing') return err('wrongPhase', 'The round has already started.', 'start');
    this.startRound();
    return null;
  }

  setSpeedBy(sessionId: string, speed: number): ProtocolError | null {
    const denied = this.hostOnly(sessionId, 'setSpeed');
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
    const rejected = applyAction(round, role, action, this.clock.now());
    if (rejected) return { ...rejected, type: 'action' };
    this.changed();
    return null;
  }

  private hostOnly(sessionId: string, type: string): ProtocolError | null {
    if (this.managed) return err('notAllowed', 'The teacher runs this room.', type);
    if (this.state.demo) return err('notAllowed', 'The demo runs by itself.', type);
    if (!this.state.members.get(sessionId)?.host) return err('notAllowed', 'Only the host can do that.', type);
    return null;
  }

  // ── The round ─────────────────────────────────────────────────────────────

  /** Start (or restart) a round; class play and demo mode pass the level and bots. */
  startRound(level?: Level, bots?: Partial<BotBehaviours>): void {
    if (this.disposed) return;
    this.clearTimers();
    if (level !== undefined) this.state.level = level;
    if (bots) this.bots = { ...this.bots, ...bots };
    const now = this.clock.now();
    const seed = this.rng.fork(`round-${this.state.round + 1}`);
    this.round = createRound(
      {
        level: this.state.level as Level,
        bots: this.bots,
        durationMs: this.timing.roundMs,
        latencyMs: this.timing.latencyMs,
        graceMs: this.timing.closingMs,
        gameClock: DEFAULT_CONFIG.gameClock,
      },
      seed,
      now,
    );
    this.state.round += 1;
    this.state.phase = 'playing';
    this.roundStartedAt = Date.now();
    this.roundEndsAt = now + this.timing.roundMs;
    this.state.lastOutcome = '';
    this.state.lastSummary = '';
    this.seatsChanged();
    this.secondsTimer = setInterval(() => this.guard('timer', () => this.updateSecondsLeft()), 1000);
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
    const step = DEMO_SCRIPT[this.demoStep++ % DEMO_SCRIPT.length]!;
    this.startRound(step.level, { ...DEFAULT_BOTS, attacker: step.attacker });
  }

  setSpeed(speed: number): void {
    this.clock.setSpeed(speed);
    this.state.speed = speed;
    if (this.state.phase === 'playing') {
      this.scheduleEngine();
      clearTimeout(this.botTimer);
      this.botTimer = undefined;
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
    }
  }

  private finishRound(round: Round): void {
    const result = round.result;
    this.clearTimers();
    this.state.phase = 'over';
    this.state.secondsLeft = 0;
    if (!result) {
      this.hooks.log(`room ${this.state.code}: round over without a result`);
      return;
    }
    for (const role of ROLES) this.state.seats.get(role)!.points += result.points[role] ?? 0;
    this.state.lastOutcome = result.outcome;
    this.state.lastSummary = result.summary;
    const info: RoundOver = {
      roundIndex: this.state.round - 1,
      level: this.state.level as Level,
      result,
      botSeats: ROLES.filter((r) => this.state.seats.get(r)!.bot),
      seated: [...this.state.members.values()].filter((m) => m.role !== '').map((m) => ({ sessionId: m.sessionId, role: m.role as Role })),
      startedAt: this.roundStartedAt,
      endedAt: Date.now(),
    };
    this.guard('roundOver', () => this.hooks.roundOver(info));
    if (this.state.demo) this.nextRoundTimer = setTimeout(() => this.guard('demo', () => this.startDemo()), this.timing.betweenRoundsMs);
  }

  private updateSecondsLeft(): void {
    if (this.state.phase !== 'playing') return;
    // The engine's round ends its current phase at endsAt: the preparation limit, then the round timer.
    this.state.secondsLeft = Math.max(0, Math.ceil(((this.round?.endsAt ?? this.roundEndsAt) - this.clock.now()) / 1000));
  }

  private scheduleEngine(): void {
    clearTimeout(this.engineTimer);
    this.engineTimer = undefined;
    const round = this.round;
    if (!round || this.state.phase !== 'playing') return;
    const at = nextEventAt(round);
    if (at === null) return;
    const delay = this.clock.realDelayUntil(at);
    if (delay === null) return;
    this.engineTimer = setTimeout(() => {
      this.engineTimer = undefined;
      this.guard('tick', () => {
        if (!this.round || this.state.phase !== 'playing') return;
        tick(this.round, this.clock.now());
        this.changed();
      });
    }, Math.ceil(delay));
  }

  /**
   * Bots take turns, one move at a time after a human-like pause, in the engine's BOT_ORDER
   * (the attacker sets up her tools before the client dials, as in the engine's simulations).
   * Re-planned after every change; quiet when no bot has anything to do.
   */
  private scheduleBots(): void {
    if (this.disposed || !this.round || this.state.phase !== 'playing' || this.clock.speed === 0 || this.botTimer) return;
    if (!ROLES.some((role) => this.state.seats.get(role)!.bot)) return;
    const [min, max] = this.timing.botDelayMs;
    const delay = this.clock.realDuration(min + this.rng.int(Math.max(1, max - min + 1)))!;
    this.botTimer = setTimeout(() => {
      this.botTimer = undefined;
      this.guard('bot', () => this.botMove());
    }, delay);
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
        this.hooks.send(m.sessionId, 'view', view);
      } else {
        spectate ??= spectatorView(round, this.spectatorScope());
        this.hooks.send(m.sessionId, 'spectate', spectate);
      }
    }
  }

  private sendViewTo(sessionId: string): void {
    const round = this.round;
    const m = this.state.members.get(sessionId);
    if (!round || !m || !m.connected) return;
    if (m.role !== '') this.hooks.send(sessionId, 'view', viewFor(round, m.role as Role));
    else this.hooks.send(sessionId, 'spectate', spectatorView(round, this.spectatorScope()));
  }

  /** Watchers of a demo (nobody plays) may see everything; elsewhere only what every seat sees. */
  private spectatorScope(): 'public' | 'everything' {
    return this.state.demo ? 'everything' : 'public';
  }

  // ── Housekeeping ───────────────────────────────────────────────────────────

  /** A bug in a timer callback must not take the process (or the room) down. */
  private guard(what: string, fn: () => void): void {
    try {
      fn();
    } catch (e) {
      this.hooks.log(`room ${this.state.code}: ${what} failed: ${(e as Error)?.stack ?? e}`);
    }
  }

  private clearTimers(): void {
    clearTimeout(this.engineTimer);
    this.engineTimer = undefined;
    clearTimeout(this.botTimer);
    this.botTimer = undefined;
    clearInterval(this.secondsTimer);
    this.secondsTimer = undefined;
    clearTimeout(this.nextRoundTimer);
    this.nextRoundTimer = undefined;
  }

  dispose(): void {
    this.disposed = true;
    this.clearTimers();
  }
}
