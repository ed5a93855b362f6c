/**
 * One game room's play, without Colyseus: its members and the commands they send, and class
 * play's planned rounds. The round itself runs in roundRunner.ts; who sits where is
 * seating.ts, who is told what viewSender.ts, files downloads.ts. The room wires messages in
 * and sends out what this class hands to `send`; the engine decides everything about the round
 * itself. Time comes from a Scheduler, so tests drive it without sleeping.
 */
import { applyAction, EVENT_TEXTS, LEVEL_TEXTS, LEVELS, levelModule, parseAction, startPlay, type LevelEvent, type BotBehaviours, type DownloadFile, type GameServerMessages, type Level, type ProtocolError, type Rng, type Role, type RoundFile } from '@heist/shared';
import type { Timing } from '../config.ts';
import type { GameState } from '../schema/GameState.ts';
import { TimerSlot, type Scheduler } from '../time/scheduler.ts';
import { protocolError as err } from '../validation/messages.ts';
import { DownloadQuota, seatFile, teacherFile } from './downloads.ts';
import type { RsaKeySource } from './roundKeys.ts';
import { RoundRunner, type Round, type RoundOver, type RoundSettings } from './roundRunner.ts';
import { Seating, type MemberInfo, type SeatPlan } from './seating.ts';
import { spectatorScope, ViewSender } from './viewSender.ts';

export { DEFAULT_BOTS } from './bots.ts';
export { DEMO_LEVELS } from './demo.ts';
export type { RoundOver } from './roundRunner.ts';
export { PLAYERS_PER_SEAT, type MemberInfo } from './seating.ts';

export interface SessionHooks {
  send<K extends keyof GameServerMessages>(sessionId: string, type: K, payload: GameServerMessages[K]): void;
  /** Close one connection: the same person opened the room again elsewhere. */
  disconnect(sessionId: string, reason: string): void;
  roundOver(info: RoundOver): void;
  log(line: string): void;
}

/** Class play: the seats of one round of the match, by person key, and its settings (Alice's browser, a hidden attacker). */
export interface RoundPlan extends SeatPlan, RoundSettings {
  level: Level;
  bots: Partial<BotBehaviours>;
  /** Start as soon as these people are in the room, or after `graceMs` at the latest. */
  expected: readonly string[];
  graceMs: number;
}

export class GameSession {
  private readonly seating: Seating;
  private readonly views: ViewSender;
  private readonly runner: RoundRunner;
  private readonly pendingTimer = new TimerSlot();
  /** Class play: this round's plan, and whether its start still waits for players. */
  private plan: RoundPlan | undefined;
  private startPending = false;
  private readonly downloads: DownloadQuota;
  /** Class play: the teacher's plan decides seats, not the players. */
  readonly managed: boolean;

  constructor(
    readonly state: GameState,
    rng: Rng,
    timing: Timing,
    private readonly scheduler: Scheduler,
    private readonly hooks: SessionHooks,
    options: { managed?: boolean; rsaKeys?: RsaKeySource } = {},
  ) {
    this.managed = options.managed ?? false;
    this.downloads = new DownloadQuota(() => scheduler.now());
    this.views = new ViewSender((sessionId, type, payload) => hooks.send(sessionId, type, payload), scheduler, `room ${state.code}`);
    this.seating = new Seating(state, this.managed);
    this.runner = new RoundRunner(state, this.seating, this.views, rng, timing, scheduler, hooks, options.rsaKeys);
  }

  /** The referee's round, for in-process inspection (tests and tools); never sent anywhere. */
  get currentRound(): Round | null {
    return this.runner.current;
  }

  /** Resolves once no round is being played: at once if none is, else when it ends (with a result, or stopped). */
  roundEnded(): Promise<void> {
    return this.runner.roundEnded();
  }

  // ── Members ──────────────────────────────────────────────────────────────

  addMember(sessionId: string, info: MemberInfo): void {
    for (const replaced of this.seating.add(sessionId, info, this.managed ? this.plan : undefined)) {
      this.views.forget(replaced);
      this.hooks.disconnect(replaced, 'You opened this room again in another tab or window; play goes on there.');
    }
    this.runner.seatsChanged();
    this.sendViewTo(sessionId);
    this.maybeBeginPlanned();
  }

  /** Gone for good (left, or did not come back in time): a bot takes the seat if it is now empty. */
  removeMember(sessionId: string): void {
    if (!this.seating.remove(sessionId)) return;
    this.views.forget(sessionId);
    this.runner.seatsChanged();
  }

  /** Dropped: the seat is kept for them (no bot) while they may reconnect. */
  memberDropped(sessionId: string): void {
    this.seating.setConnected(sessionId, false);
    this.runner.checkProxy();
  }

  memberBack(sessionId: string): void {
    if (!this.seating.setConnected(sessionId, true)) return;
    this.runner.checkProxy();
    this.sendViewTo(sessionId);
  }

  isMember(sessionId: string): boolean {
    return this.seating.has(sessionId);
  }

  /** The nickname is held by someone else (a person coming back under their own key may reuse theirs). */
  nicknameTaken(nickname: string, key?: string): boolean {
    return this.seating.nicknameTaken(nickname, key);
  }

  // ── Commands from members (payload shapes already checked) ───────────────

  chooseSeat(sessionId: string, role: Role): ProtocolError | null {
    const refused = this.seating.choose(sessionId, role);
    if (refused) return refused;
    this.runner.seatsChanged();
    this.views.requestWhole(sessionId, () => this.sendViewTo(sessionId));
    return null;
  }

  configure(sessionId: string, level: Level, bots: Partial<BotBehaviours>, event?: LevelEvent): ProtocolError | null {
    const denied = this.hostOnly(sessionId, 'configure');
    if (denied) return denied;
    if (this.state.phase === 'playing') return err('wrongPhase', 'The round is under way; configure it before it starts.', 'configure');
    if (event && !levelModule(level).events?.includes(event)) {
      const offered = LEVELS.filter((l) => levelModule(l).events?.includes(event)).map((l) => LEVEL_TEXTS[l].label);
      return err('invalid', `“${EVENT_TEXTS[event].title}” ${EVENT_TEXTS[event].needs}: it can be switched on at level${offered.length > 1 ? 's' : ''} ${offered.join(', ')}.`, 'configure');
    }
    this.runner.configure(level, bots, event);
    return null;
  }

  /** The host starts the round; while it is preparing, starts play without waiting for everyone's Ready. */
  start(sessionId: string): ProtocolError | null {
    const denied = this.hostOnly(sessionId, 'start');
    if (denied) return denied;
    const round = this.runner.playing();
    if (round?.phase === 'preparing') {
      startPlay(round, this.runner.clock.now());
      this.runner.changed();
      return null;
    }
    if (this.state.phase === 'playing') return err('wrongPhase', 'The round has already started.', 'start');
    this.runner.startRound();
    return null;
  }

  setSpeedBy(sessionId: string, speed: number): ProtocolError | null {
    // Whoever opened a demo may pause it and change its speed; nothing else about it.
    const denied = this.state.demo && this.seating.isHost(sessionId) ? null : this.hostOnly(sessionId, 'setSpeed');
    if (denied) return denied;
    this.runner.setSpeed(speed);
    return null;
  }

  act(sessionId: string, raw: unknown): ProtocolError | null {
    const role = this.seating.roleOf(sessionId);
    if (role === undefined) return err('notAllowed', 'Take a seat to play.', 'action');
    const round = this.runner.playing();
    if (!round) return err('wrongPhase', 'No round is being played.', 'action');
    if (this.runner.clock.speed === 0) return err('wrongPhase', 'The game is paused.', 'action');
    const action = parseAction(role, raw);
    if ('code' in action) return { ...action, type: 'action' };
    // Students sharing a seat press Ready together: what the later press asks is done already.
    if (action.type === 'ready' && (round.ready.has(role) || round.phase === 'playing')) return null;
    const rejected = applyAction(round, role, action, this.runner.clock.now(), this.seating.nicknameOf(sessionId));
    if (rejected) return { ...rejected, type: 'action' };
    this.runner.changed();
    return null;
  }

  /** A seat asks for one of this round's files: the engine decides whether it may have it. */
  download(sessionId: string, file: DownloadFile): ProtocolError | null {
    const got = seatFile(this.downloads, this.runner.current, this.seating.roleOf(sessionId), file);
    if ('code' in got) return got;
    this.hooks.send(sessionId, 'download', got);
    return null;
  }

  /** The class's teacher (the room has checked who asks): a file of the last finished round. */
  teacherFile(file: DownloadFile): RoundFile | ProtocolError {
    return teacherFile(this.downloads, this.runner.finished, file);
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
    this.runner.seatsChanged();
    this.startPending = true;
    this.pendingTimer.set(this.scheduler.after(plan.graceMs, `room ${this.state.code}: planned start`, () => this.beginPlanned()));
    this.maybeBeginPlanned();
  }

  /** Stop the round being played, without a result (the teacher moved on or ended the match). */
  interrupt(notice: string): void {
    this.pendingTimer.clear();
    this.startPending = false;
    if (this.runner.interrupt(notice)) this.state.notice = notice;
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
    const { clientHsts, hiddenAttacker, event } = this.plan;
    this.runner.startRound(this.plan.level, this.plan.bots, { ...(clientHsts !== undefined ? { clientHsts } : {}), ...(hiddenAttacker ? { hiddenAttacker } : {}), ...(event !== undefined ? { event } : {}) });
  }

  // ── Rounds the room starts ──────────────────────────────────────────────

  /** Start (or restart) a round; class play and demo mode pass the level and bots, class play its settings. */
  startRound(level?: Level, bots?: Partial<BotBehaviours>, settings?: RoundSettings): void {
    this.runner.startRound(level, bots, settings);
  }

  /** Demo mode: four bots, one level after another, forever (until the room empties). */
  startDemo(): void {
    this.runner.startDemo();
  }

  setSpeed(speed: number): void {
    this.runner.setSpeed(speed);
  }

  // ── Who is told what ────────────────────────────────────────────────────

  private sendViewTo(sessionId: string): void {
    const round = this.runner.current;
    if (!round || !this.seating.audience().some((a) => a.sessionId === sessionId)) return;
    this.views.toOne(round, sessionId, this.seating.roleOf(sessionId), spectatorScope(this.state));
  }

  dispose(): void {
    this.runner.dispose();
    this.pendingTimer.clear();
    this.views.dispose();
  }
}
