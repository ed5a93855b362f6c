/**
 * A game room's round from start to end: created by the shared rules engine, woken when the
 * engine has something due, with the seconds left on every screen, bots in empty seats
 * (bots.ts), Mallory's proxy let go when nobody is at her seat (unattendedProxy.ts), the game
 * clock's speed (clock.ts), and the end: the result counted and handed to the room. Stopped
 * without a result when the teacher moves on. Time comes from a Scheduler.
 */
import {
  DEFAULT_CONFIG,
  ROLES,
  createRound,
  isOver,
  levelModule,
  misconceptionsOf,
  nextEventAt,
  releaseUnattendedProxy,
  tick,
  type BotBehaviours,
  type HiddenAttacker,
  type Level,
  type LevelEvent,
  type Misconception,
  type Rng,
  type Role,
  type RoundResult,
  type RoundRsaKeys,
} from '@heist/shared';
import type { Timing } from '../config.ts';
import type { GameState } from '../schema/GameState.ts';
import { TimerSlot, type Scheduler } from '../time/scheduler.ts';
import { BotPlayer, DEFAULT_BOTS } from './bots.ts';
import { GameClock } from './clock.ts';
import { DemoTour } from './demo.ts';
import { rsaKeysWanted, type RsaKeySource } from './roundKeys.ts';
import type { Seating } from './seating.ts';
import { UnattendedProxy } from './unattendedProxy.ts';
import { spectatorScope, type ViewSender } from './viewSender.ts';

export type Round = ReturnType<typeof createRound>;

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
  /** The event the round was played with, if any. */
  event?: LevelEvent;
  /** What each seat's play showed (referee/misconceptions.ts): for the class teacher's report, never a view. */
  misconceptions: Partial<Record<Role, Misconception[]>>;
}

/** What class play sets for a round beyond its level and bots. */
export interface RoundSettings {
  /** Alice's browser: a returning visitor with HSTS for the bank, or a first visit (unset: as the client bot's behaviour says). */
  clientHsts?: boolean;
  /** A hidden-attacker match: whether this room has an attacker this round (nobody in the room is told but the attacker seat). */
  hiddenAttacker?: HiddenAttacker;
  /** A class round's event, from the teacher's sequence (null: none); unset, the event the host configured. */
  event?: LevelEvent | null;
}

export interface RunnerHooks {
  roundOver(info: RoundOver): void;
  log(line: string): void;
}

export class RoundRunner {
  private round: Round | null = null;
  /** The last round that ended with a result: the teacher's files come from it, while the next one plays. */
  private lastFinished: Round | null = null;
  /** The level of the next round (or of the one being played); the room's state shows it. */
  private level: Level = 1;
  /** The event the host switched on for the next rounds (configure), if any. */
  private event: LevelEvent | undefined;
  private bots: BotBehaviours = { ...DEFAULT_BOTS };
  /** The round being played is a hidden-attacker one: the room's state must not say how the attacker seat's bot plays. */
  private hidden = false;
  readonly clock: GameClock;
  private readonly engineTimer = new TimerSlot();
  private readonly secondsTimer = new TimerSlot();
  private readonly nextRoundTimer = new TimerSlot();
  private roundStartedAt = 0;
  private roundEndsAt = 0;
  private readonly demo = new DemoTour();
  private disposed = false;
  private readonly botPlayer: BotPlayer;
  /** Lets go of what Mallory's proxy holds once nobody is at the attacker seat. */
  private readonly unattended: UnattendedProxy;
  /** Counts round starts: one waiting for its keys goes ahead only if nothing started or stopped a round since. */
  private starts = 0;
  /** Who waits for the round being played to end (see `roundEnded`). */
  private endWaiters: (() => void)[] = [];
  private readonly label: string;

  constructor(
    private readonly state: GameState,
    private readonly seating: Seating,
    private readonly views: ViewSender,
    private readonly rng: Rng,
    private readonly timing: Timing,
    private readonly scheduler: Scheduler,
    private readonly hooks: RunnerHooks,
    /** Fresh RSA keys for each round (live play); absent, a round picks from the fixed pool by its seed (tests). */
    private readonly rsaKeys: RsaKeySource | undefined,
  ) {
    this.label = `room ${state.code}`;
    this.clock = new GameClock(() => scheduler.now());
    this.unattended = new UnattendedProxy(scheduler, timing.unattendedSeatMs, this.label, () => this.releaseProxy());
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
      this.label,
    );
    seating.assignBots(this.bots, []);
    state.level = this.level;
  }

  /** The round, while it is being played. */
  playing(): Round | null {
    return this.state.phase === 'playing' ? this.round : null;
  }

  /** The round being played, or the one that ended last (until the next starts). */
  get current(): Round | null {
    return this.round;
  }

  /** The last round that ended with a result. */
  get finished(): Round | null {
    return this.lastFinished;
  }

  /** Resolves once no round is being played: at once if none is, else when it ends (with a result, or stopped). */
  roundEnded(): Promise<void> {
    if (this.state.phase !== 'playing') return Promise.resolve();
    return new Promise((resolve) => this.endWaiters.push(resolve));
  }

  /** The next round's level, bots and event (between rounds). */
  configure(level: Level, bots: Partial<BotBehaviours>, event?: LevelEvent): void {
    this.setLevel(level);
    this.event = event;
    this.state.event = event ?? '';
    this.bots = { ...this.bots, ...bots };
    this.seatsChanged();
  }

  /** Someone took or left a seat: bots fill the empty ones, and the attacker's proxy hears who is there. */
  seatsChanged(): void {
    this.seating.assignBots(this.bots, this.hidden ? ['attacker'] : []);
    this.checkProxy();
    this.botPlayer.schedule();
  }

  /** Who is at the attacker seat, for the unattended proxy (only while a round is being played). */
  checkProxy(): void {
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

  /**
   * Start (or restart) a round; class play and demo mode pass the level and bots, class play its
   * settings (Alice's browser, a hidden attacker). At the RSA levels the round waits for its keys
   * when none are ready (roundKeys.ts).
   */
  startRound(level?: Level, bots?: Partial<BotBehaviours>, settings: RoundSettings = {}): void {
    if (this.disposed) return;
    this.clearTimers();
    if (level !== undefined) this.setLevel(level);
    if (bots) this.bots = { ...this.bots, ...bots };
    this.hidden = settings.hiddenAttacker !== undefined;
    if (settings.event !== undefined) {
      this.event = settings.event ?? undefined;
      this.state.event = settings.event ?? '';
    }
    const start = ++this.starts;
    const wanted = rsaKeysWanted(levelModule(this.level));
    const keys = wanted ? this.rsaKeys?.take(wanted) : undefined;
    if (!(keys instanceof Promise)) return this.beginRound(keys, settings);
    keys
      .then((given) => {
        if (start === this.starts && !this.disposed) this.beginRound(given, settings);
      })
      .catch((e: unknown) => this.hooks.log(`${this.label}: the round could not start: ${(e as Error)?.stack ?? e}`));
  }

  private beginRound(rsaKeys: RoundRsaKeys | undefined, { clientHsts, hiddenAttacker }: RoundSettings): void {
    const now = this.clock.now();
    const seed = this.rng.fork(`round-${this.state.round + 1}`);
    this.round = createRound(
      {
        level: this.level,
        bots: this.bots,
        ...(this.event ? { event: this.event } : {}),
        durationMs: this.timing.roundMs,
        prepareMs: this.timing.prepareMs,
        // People say Ready before play begins; bots are ready once prepared.
        humanSeats: ROLES.filter((role) => !this.seating.isBot(role)),
        latencyMs: this.timing.latencyMs,
        graceMs: this.timing.closingMs,
        gameClock: DEFAULT_CONFIG.gameClock,
        ...(clientHsts !== undefined ? { clientHsts } : {}),
        ...(hiddenAttacker ? { hiddenAttacker } : {}),
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
    this.secondsTimer.set(this.scheduler.every(1000, `${this.label}: seconds`, () => this.updateSecondsLeft()));
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
  changed(): void {
    const round = this.round;
    if (!round) return;
    if (this.state.phase === 'playing' && isOver(round)) this.finishRound(round);
    this.views.toAll(round, this.seating.audience(), spectatorScope(this.state));
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
      this.hooks.log(`${this.label}: round over without a result`);
      return;
    }
    this.lastFinished = round;
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
      ...(round.config.event ? { event: round.config.event } : {}),
      misconceptions: misconceptionsOf(round),
    };
    try {
      this.hooks.roundOver(info);
    } catch (e) {
      this.hooks.log(`${this.label}: recording the round failed: ${(e as Error)?.stack ?? e}`);
    }
    if (this.state.demo) this.nextRoundTimer.set(this.scheduler.after(this.timing.betweenRoundsMs, `${this.label}: demo`, () => this.startDemo()));
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
      this.scheduler.after(Math.ceil(delay), `${this.label}: tick`, () => {
        this.engineTimer.fired();
        const playing = this.playing();
        if (!playing) return;
        tick(playing, this.clock.now());
        this.changed();
      }),
    );
  }

  /** Stop the round being played, without a result (the teacher moved on or ended the match). False if none was. */
  interrupt(notice: string): boolean {
    this.starts++; // a round still waiting for its keys does not start
    if (this.state.phase !== 'playing') return false;
    this.clearTimers();
    this.round = null;
    this.state.phase = 'over';
    this.state.secondsLeft = 0;
    this.state.lastOutcome = 'interrupted';
    this.state.lastSummary = notice;
    this.ended();
    return true;
  }

  private setLevel(level: Level): void {
    this.level = level;
    this.state.level = level;
    const offered = levelModule(level).events ?? [];
    if (this.state.eventsOffered.join() !== offered.join()) {
      this.state.eventsOffered.clear();
      this.state.eventsOffered.push(...offered);
    }
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
    this.unattended.dispose();
  }
}
