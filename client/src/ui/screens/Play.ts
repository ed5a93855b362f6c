/**
 * The round: the network view (Phaser) with its speed control and a list of the parcels on the
 * wire, this seat's panel, the packet inspector, the timeline; the scoreboard and the debrief
 * once the round is over. Built once per room, updated on every view.
 */
import type { Bus, ClassInfo, LobbyInfo } from '../../bus.ts';
import { upNext, whileOthersPlay } from './upNext.ts';
import { scopeOf, watchingPanel, whoPlays } from './watching.ts';
import { EVENT_TEXTS, LEVELS, LIMITS, levelLabel, type DownloadOffer, type ParcelView, type PacketDetail, type RoleView, type SpectatorView } from '../../shared.ts';
import { LEVEL_TEXTS, ROLE_INFO } from '../../content/levels.ts';
import type { GameConnection } from '../../net/GameConnection.ts';
import { formatClock, h, Memo, replaceChildren, reveal } from '../dom.ts';
import { AttackerPanel } from '../panels/AttackerPanel.ts';
import { CaPanel } from '../panels/CaPanel.ts';
import { ClientPanel } from '../panels/ClientPanel.ts';
import type { PanelContext } from '../panels/context.ts';
import { PacketInspector } from '../panels/PacketInspector.ts';
import { ReadyBox } from '../panels/ReadyBox.ts';
import { SeatTasks } from '../panels/SeatTasks.ts';
import { debrief, scoreboard } from '../panels/Results.ts';
import { captureLinks } from '../panels/Captures.ts';
import { ServerPanel } from '../panels/ServerPanel.ts';
import { SittingOutPanel } from '../panels/SittingOutPanel.ts';
import { Timeline } from '../panels/Timeline.ts';
import { endpointName, LOOK_WORDS, OUTCOME_WORDS } from '../words.ts';
import { briefing } from './Briefing.ts';
import { CtLogPanel } from '../panels/CtLog.ts';

type AnyPanel = ClientPanel | ServerPanel | CaPanel | AttackerPanel | SittingOutPanel;
/** Which panel a seat's view is drawn with: its role's, or, for an attacker seat with no attack in its room, the one that calls. */
type PanelKind = RoleView['role'] | 'sittingOut';
const SPEEDS = [
  { speed: 0, label: '❚❚ Pause' },
  { speed: 0.5, label: '½×' },
  { speed: 1, label: '1×' },
  { speed: 2, label: '2×' },
  { speed: LIMITS.maxSpeed, label: `${LIMITS.maxSpeed}×` },
];

export class PlayScreen {
  readonly el: HTMLElement;
  private memo = new Memo();
  private inspector = new PacketInspector();
  private timeline = new Timeline();
  private readonly readyBox: ReadyBox;
  private readonly tasks = new SeatTasks();
  /** The CT event's public log: every seat and the projector read it. */
  private readonly ctLog = new CtLogPanel();
  private panel?: AnyPanel;
  private panelKind?: PanelKind;
  private view?: RoleView | SpectatorView;
  /** The last finished round (a watcher's, or a class student's own), shown folded while the next one plays. */
  private lastFinished?: RoleView | SpectatorView;
  /** The room's round number `lastFinished` was (a round stopped before its result leaves no result: it is not "the round before" after that). */
  private lastFinishedRound = 0;
  private lastRoundOpen = false;
  /** This round's result has been brought into view (once per round). */
  private revealed = false;
  private readonly head = h('header', { class: 'play-head' });
  private readonly intro = h('div', { class: 'intro' });
  private readonly results = h('div', { class: 'results' });
  private readonly panelSlot = h('div', { class: 'panel-slot' });
  private readonly wire = h('div', { class: 'wire-list' });
  private readonly speedBar = h('div', { class: 'speed', role: 'group', 'aria-label': 'Network speed' });
  /** Class play: says the teacher has paused the match (the clock and the network stand still), empty otherwise. */
  private readonly pausedLine = h('div', { class: 'paused-line', role: 'status' });
  /** Class play: the line under a result about the next round (its countdown ticks every second). */
  private readonly classLine = h('div', { class: 'class-next' });
  private readonly ctx: PanelContext;
  private off: (() => void)[] = [];

  constructor(
    private readonly bus: Bus,
    private readonly conn: GameConnection,
    networkHost: HTMLElement,
    private readonly practice: boolean,
    /** Between rounds: back to the lobby (seats, level, briefing). */
    private readonly toLobby: () => void,
  ) {
    this.readyBox = new ReadyBox(() => conn.act({ type: 'ready' }));
    this.ctx = {
      act: (action) => conn.act(action),
      inspect: (id) => this.inspect(id),
      inspectFields: (title, fields) => this.inspector.showFields(title, fields),
      download: (offer) => void conn.download(offer),
      ready: this.readyBox.el,
    };
    const reduce = h('input', {
      type: 'checkbox',
      id: 'reduce-motion',
      checked: bus.latest('ui:reducedMotion')?.reduced ?? false,
      onchange: (e: Event) => bus.emit('ui:reducedMotion', { reduced: (e.target as HTMLInputElement).checked }),
    });
    this.el = h(
      'main',
      { class: 'play', id: 'main' },
      this.head,
      this.pausedLine,
      this.intro,
      this.results,
      h(
        'div',
        { class: 'play-grid' },
        h(
          'div',
          { class: 'col-main' },
          h(
            'section',
            { class: 'panel network', 'aria-labelledby': 'network-title' },
            h('h2', { id: 'network-title', class: 'sr-only' }, 'The network'),
            networkHost,
            h('div', { class: 'network-controls' }, this.speedBar, h('label', { class: 'check' }, reduce, ' Reduce motion')),
            this.wire,
          ),
          this.inspector.el,
        ),
        h('div', { class: 'col-side' }, this.panelSlot, this.tasks.el, this.ctLog.el, this.timeline.el),
      ),
    );
    replaceChildren(this.classLine, classNext(bus.latest('class:state')));
    this.drawPaused(bus.latest('class:state'));
    this.off.push(
      bus.on('ui:selectPacket', ({ id }) => this.inspect(id)),
      bus.on('game:lobby', (lobby) => {
        this.drawHead(lobby);
        if (this.view && !('role' in this.view)) this.update(this.view);
      }),
      bus.on('class:state', (info) => {
        replaceChildren(this.classLine, classNext(info));
        this.drawPaused(info);
      }),
    );
  }

  destroy(): void {
    this.off.forEach((f) => f());
  }

  update(view: RoleView | SpectatorView): void {
    // A new round (the last one had its result, this one has none yet): what the inspector shows belongs to the last one.
    if (this.view?.result && !view.result) this.inspector.clear();
    this.view = view;
    const role = 'role' in view ? view.role : undefined;
    const kind = 'role' in view ? panelKind(view) : undefined;
    const lobbyNow = this.bus.latest('game:lobby');
    if (kind !== this.panelKind || (!role && this.memo.changed('scope', [scopeOf(view), lobbyNow?.classCode ? whoPlays(lobbyNow) : null]))) {
      this.panelKind = kind;
      this.panel = kind ? makePanel(kind, this.ctx) : undefined;
      replaceChildren(this.panelSlot, this.panel?.el ?? watchingPanel(scopeOf(view), lobbyNow));
    }
    this.readyBox.update('role' in view ? view : undefined);
    this.tasks.update('role' in view ? view : undefined, this.bus.latest('game:lobby'), this.bus.latest('game:lobby')?.round ?? 0);
    if (this.panel && 'role' in view) (this.panel as { update(v: RoleView): void }).update(view);
    this.timeline.update(view.timeline);
    this.ctLog.update(view.ctLog, 'role' in view && view.role === 'server' ? view.ctMonitor : undefined);
    this.drawHead(this.bus.latest('game:lobby'));
    this.drawWire(view.parcels);
    const lobby = this.bus.latest('game:lobby');
    const canStartNow = !!lobby?.isHost && !lobby.classCode && !lobby.demo;
    if (this.memo.changed('intro', [view.phase, view.level, role, canStartNow, view.hiddenAttacker, kind])) this.drawIntro(view, role, canStartNow);
    // Where the next round starts by itself (a demo, class play) the last round's results stay to read.
    if (view.result && (!role || lobbyNow?.classCode)) {
      this.lastFinished = view;
      this.lastFinishedRound = lobbyNow?.round ?? 0;
    }
    const resultsKey = view.result ? [view.result, view.timeline.length, role, this.bus.latest('game:lobby')?.isHost] : [role, this.roundBefore()?.result];
    if (this.memo.changed('results', resultsKey)) this.drawResults(view, role);
    const open = this.inspector.packetId;
    if (open === undefined) return;
    const detail = this.detail(open);
    if (this.memo.changed('inspected', detail ?? null)) this.inspect(open);
    // Never a packet this view does not hold (e.g. a round played at another seat).
    if (!detail && !view.parcels.some((p) => p.id === open)) this.inspector.clear();
  }

  /** A student's frozen clock explained (the teacher knows: she pressed Pause), for as long as the teacher's pause lasts (the live region stays, its words come and go). */
  private drawPaused(info: ClassInfo | undefined): void {
    const paused = info?.status === 'paused' && !info.isTeacher && !!this.bus.latest('game:lobby')?.classCode;
    if (!this.memo.changed('paused', [paused])) return;
    replaceChildren(this.pausedLine, paused ? h('p', { class: 'panel paused', id: 'paused-by-teacher' }, h('strong', {}, '❚❚ Paused by the teacher. '), 'The clock and the network wait until the teacher resumes the game.') : null);
  }

  /** While preparing: what happens before Alice may connect, in two lines above the briefing (the seat's Ready button is under its panel's task). */
  private drawIntro(view: RoleView | SpectatorView, role: RoleView['role'] | undefined, canStartNow: boolean): void {
    if (view.phase !== 'preparing') return replaceChildren(this.intro);
    // A hidden-attacker match: nobody but the attacker seat knows whether Mallory is there at all.
    const mallory = view.hiddenAttacker ? 'Mallory, if your room has one this round, sets up her tools' : 'Mallory sets up her tools';
    const first = view.caPlays ? `Before Alice connects, the bank gets its certificate from the CA and ${mallory}.` : `Before Alice connects, ${mallory}.`;
    replaceChildren(
      this.intro,
      h(
        'section',
        { class: 'panel preparing', 'aria-labelledby': 'preparing-title' },
        h('h2', { id: 'preparing-title' }, 'Preparing the round'),
        h('p', {}, first, ' ', !role ? 'Play begins when every seat is ready.' : this.panelKind === 'sittingOut' ? 'Make your call (in your panel): it is your seat’s “I am ready”.' : 'When your seat is set, press “I am ready” (under your tasks).'),
        canStartNow ? h('button', { type: 'button', id: 'start-now', onclick: () => this.conn.start() }, 'Start play now (don’t wait for the others)') : null,
        briefing(view.level, role, view.event, view.hiddenAttacker),
      ),
    );
  }

  private drawHead(lobby?: LobbyInfo): void {
    const v = this.view;
    if (!v) return;
    const role = 'role' in v ? v.role : undefined;
    const left = lobby?.phase === 'playing' ? lobby.secondsLeft * 1000 : Math.max(0, v.endsAt - v.now);
    const data = [v.level, v.event, role, lobby?.code, lobby?.speed, lobby?.isHost, Math.round(left / 1000), v.phase, scopeOf(v), lobby && role ? seatMateNames(lobby, role) : []];
    if (!this.memo.changed('head', data)) return;
    const canSetSpeed = !!lobby?.isHost;
    replaceChildren(
      this.head,
      h('h1', {}, `Level ${levelLabel(v.level)}: ${LEVEL_TEXTS[v.level].title}`, h('span', { class: 'muted' }, ` — ${(v.event && EVENT_TEXTS[v.event].concept) || LEVEL_TEXTS[v.level].concept}`)),
      h(
        'p',
        { class: 'head-facts' },
        role
          ? h('span', { class: 'badge', id: 'my-role' }, `You: ${ROLE_INFO[role].name}`, seatMates(lobby, role))
          : h('span', { class: 'badge badge-watch', id: 'watch-scope' }, scopeOf(v) === 'everything' ? 'Demo: you see everything, secrets included' : 'Watching: public lines only'),
        v.phase === 'over'
          ? h('span', { class: 'badge' }, 'Round over')
          : h('span', { class: 'badge', 'aria-label': `${v.phase === 'preparing' ? 'Preparing, time left' : 'Time left'} ${formatClock(left)}` }, `${v.phase === 'preparing' ? 'Preparing · ' : ''}Time left ${formatClock(left)}`),
        lobby && !this.practice && !lobby.demo ? h('span', { class: 'badge' }, `Room ${lobby.code}`) : null,
        // The teacher showing a room live goes back to her dashboard; a player leaves the room.
        h('button', { type: 'button', class: 'link', id: 'leave-game', onclick: () => void this.conn.leaveGame() }, !role && this.conn.teacherDesk.teacherKey ? '← Back to the dashboard' : 'Leave'),
      ),
    );
    replaceChildren(
      this.speedBar,
      h('span', { class: 'speed-label' }, 'Speed: '),
      SPEEDS.map((s) =>
        h(
          'button',
          {
            type: 'button',
            class: 'small',
            'data-key': `speed-${s.speed}`,
            'aria-pressed': String(lobby?.speed === s.speed),
            disabled: !canSetSpeed,
            title: canSetSpeed ? undefined : 'Only the host sets the speed',
            onclick: () => this.conn.setSpeed(s.speed),
          },
          s.label,
        ),
      ),
    );
  }

  private drawWire(parcels: ParcelView[]): void {
    const live = parcels.filter((p) => p.status === 'inFlight' || p.status === 'held');
    if (!this.memo.changed('wire', live.map((p) => [p.id, p.status, p.look]))) return;
    replaceChildren(
      this.wire,
      h('h3', { class: 'sr-only' }, 'Packets on the wire'),
      live.length
        ? h(
            'ul',
            { 'aria-label': 'Packets on the wire', 'data-scroll': 'wire' },
            live.map((p) =>
              h(
                'li',
                {},
                h('button', { type: 'button', class: 'chip', 'data-key': `wire-${p.id}`, onclick: () => this.inspect(p.id) }, `${p.label}`),
                ` ${endpointName(p.from)} → ${endpointName(p.to)} · ${LOOK_WORDS[p.look]}${p.status === 'held' ? ' · held at the tap' : ''}`,
              ),
            ),
          )
        : h('p', { class: 'muted' }, 'Nothing on the wire right now.'),
    );
  }

  private drawResults(view: RoleView | SpectatorView, role?: RoleView['role']): void {
    if (!view.result) {
      this.revealed = false;
      const last = this.roundBefore();
      if (!last?.result) return replaceChildren(this.results);
      const o = OUTCOME_WORDS[last.result.outcome];
      const details = h(
        'details',
        { class: 'panel last-round', id: 'last-round', open: this.lastRoundOpen || undefined, ontoggle: (e: Event) => (this.lastRoundOpen = (e.target as HTMLDetailsElement).open) },
        h('summary', {}, h('strong', {}, `The round before — Level ${levelLabel(last.level)}: `), `${o.icon} ${o.title}. Show its scoreboard and debrief`),
        h('div', { class: 'results-inner' }, scoreboard(last.result, 'role' in last ? last.role : undefined), debrief(last.result, last.timeline), captureLinks(this.offers(last), (offer) => void this.conn.download(offer))),
      );
      return replaceChildren(this.results, details);
    }
    const lobby = this.bus.latest('game:lobby');
    const next = LEVELS[LEVELS.indexOf(view.level) + 1];
    replaceChildren(
      this.results,
      h(
        'div',
        { class: 'results-main' },
        scoreboard(view.result, role),
        h(
          'div',
          { class: 'actions after-round' },
          lobby?.isHost ? h('button', { type: 'button', class: 'primary', id: 'play-again', onclick: () => this.conn.start() }, 'Play again') : null,
          lobby?.isHost && next !== undefined
            ? h('button', { type: 'button', id: 'next-level', onclick: () => { this.conn.configure(next, {}); this.toLobby(); } }, `Go to level ${levelLabel(next)}`)
            : null,
          lobby && !lobby.classCode && !lobby.demo ? h('button', { type: 'button', id: 'to-lobby', onclick: () => this.toLobby() }, 'Seats and level') : null,
          lobby?.classCode ? this.classLine : null,
        ),
        captureLinks(this.offers(view), (offer) => void this.conn.download(offer)),
      ),
      debrief(view.result, view.timeline),
    );
    if (!this.revealed) {
      this.revealed = true;
      reveal(this.results, this.results.querySelector<HTMLElement>('.scoreboard .outcome'), this.bus.latest('ui:reducedMotion')?.reduced ?? false);
    }
  }

  /** The last finished round, if it is the one just before this one (the room counts its rounds). */
  private roundBefore(): RoleView | SpectatorView | undefined {
    return (this.bus.latest('game:lobby')?.round ?? 0) <= this.lastFinishedRound + 1 ? this.lastFinished : undefined;
  }

  /** A seat's own offers; a watcher's only when this tab teaches the room's class (it proves it with the secret). */
  private offers(view: RoleView | SpectatorView): DownloadOffer[] {
    if ('role' in view) return view.downloads;
    return this.conn.teacherDesk.teachesThisRoom ? view.teacherDownloads : [];
  }

  private detail(id: number): PacketDetail | undefined {
    const v = this.view;
    if (!v || !('role' in v)) return undefined;
    if (v.role === 'attacker') return v.captured.find((p) => p.id === id);
    if (v.role === 'client' || v.role === 'server') return v.packets.find((p) => p.id === id);
    return undefined;
  }

  private inspect(id: number): void {
    const detail = this.detail(id);
    if (detail) return this.inspector.showPacket(detail);
    const parcel = this.view?.parcels.find((p) => p.id === id);
    if (parcel) this.inspector.showOpaque(parcel);
  }
}

/** The others who share this seat (a team playing one role together), by nickname. */
function seatMateNames(lobby: LobbyInfo, role: RoleView['role']): string[] {
  return lobby.members.filter((m) => m.role === role && m.nickname !== lobby.myNickname).map((m) => m.nickname);
}

function seatMates(lobby: LobbyInfo | undefined, role: RoleView['role']): string {
  const others = lobby ? seatMateNames(lobby, role) : [];
  return others.length ? ` — with ${others.join(', ')}` : '';
}

/** Class play, after a round: what comes next (from the class lobby), or that the match is over. */
function classNext(info: ClassInfo | undefined): HTMLElement {
  if (info?.status === 'ended') return h('p', { role: 'status', id: 'match-over' }, h('strong', {}, 'The match is over. '), 'See the leaderboard in the class lobby (Leave).');
  if (!info) return h('p', { role: 'status' }, 'The teacher starts the next round; roles swap.');
  return upNext(info) ?? h('p', { role: 'status', id: 'while-others-play' }, whileOthersPlay(info));
}

function panelKind(view: RoleView): PanelKind {
  return view.role === 'attacker' && view.sittingOut ? 'sittingOut' : view.role;
}

function makePanel(kind: PanelKind, ctx: PanelContext): AnyPanel {
  switch (kind) {
    case 'client':
      return new ClientPanel(ctx);
    case 'server':
      return new ServerPanel(ctx);
    case 'ca':
      return new CaPanel(ctx);
    case 'attacker':
      return new AttackerPanel(ctx);
    case 'sittingOut':
      return new SittingOutPanel(ctx);
  }
}
