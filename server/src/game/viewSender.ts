/**
 * Who is told what: each seat its own view of the round, everyone else the spectator's, as
 * patches to what each connection last got (viewChannels.ts), whole when a connection is new,
 * changes between seat and watching, or asks (paced: wholeViews.ts).
 */
import { spectatorView, viewFor, type GameServerMessages, type Role, type RoleView, type Round, type SpectatorView } from '@heist/shared';
import type { GameState } from '../schema/GameState.ts';
import type { Scheduler } from '../time/scheduler.ts';
import type { Audience } from './seating.ts';
import { ViewChannels } from './viewChannels.ts';
import { WholeViewPacer } from './wholeViews.ts';

export type SendView = <K extends 'view' | 'spectate' | 'viewPatch' | 'spectatePatch'>(sessionId: string, type: K, payload: GameServerMessages[K]) => void;

/** Watchers of a demo (nobody plays) may see everything; elsewhere only what every seat sees. */
export type SpectatorScope = 'public' | 'everything';

export function spectatorScope(state: Pick<GameState, 'demo'>): SpectatorScope {
  return state.demo ? 'everything' : 'public';
}

export class ViewSender {
  private readonly channels = new ViewChannels<RoleView | SpectatorView>();
  private readonly deliveredAsSeat = new Map<string, boolean>();
  private readonly wholeViews: WholeViewPacer;

  constructor(
    private readonly send: SendView,
    scheduler: Scheduler,
    label: string,
  ) {
    this.wholeViews = new WholeViewPacer(scheduler, label);
  }

  /** Everyone connected gets the round as it stands (each seat's view made once, however many share it). */
  toAll(round: Round, audience: readonly Audience[], scope: SpectatorScope): void {
    const views = new Map<Role, RoleView>();
    let spectate: SpectatorView | undefined;
    for (const { sessionId, role } of audience) {
      if (role !== undefined) {
        let view = views.get(role);
        if (!view) views.set(role, (view = viewFor(round, role)));
        this.deliver(sessionId, view);
      } else {
        this.deliver(sessionId, (spectate ??= spectatorView(round, scope)));
      }
    }
  }

  /** One connection gets its view whole. */
  toOne(round: Round, sessionId: string, role: Role | undefined, scope: SpectatorScope): void {
    this.channels.forget(sessionId);
    this.deliver(sessionId, role !== undefined ? viewFor(round, role) : spectatorView(round, scope));
  }

  /** A whole view for this connection, now or when its turn comes (wholeViews.ts). */
  requestWhole(sessionId: string, send: () => void): void {
    this.wholeViews.request(sessionId, send);
  }

  /** A new round: everyone's next view is whole. */
  newRound(): void {
    this.channels.clear();
  }

  forget(sessionId: string): void {
    this.channels.forget(sessionId);
    this.deliveredAsSeat.delete(sessionId);
    this.wholeViews.forget(sessionId);
  }

  dispose(): void {
    this.wholeViews.dispose();
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
      if ('role' in d.whole) this.send(sessionId, 'view', d.whole);
      else this.send(sessionId, 'spectate', d.whole);
    } else this.send(sessionId, seat ? 'viewPatch' : 'spectatePatch', { ops: d.patch });
  }
}
