/**
 * Chooses the screen from what the bus last said: landing, a class (student or teacher), a game
 * room's lobby, or the round. Screens get the connection's typed methods, never a Room.
 */
import type { Bus, ClassInfo, LobbyInfo } from '../bus.ts';
import type { GameConnection } from '../net/GameConnection.ts';
import type { RoleView, SpectatorView } from '../shared.ts';
import { h, replaceChildren } from './dom.ts';
import { PressHold } from './press.ts';
import { saveFile } from './panels/Captures.ts';
import { studentWaitingScreen } from './screens/StudentWaiting.ts';
import { teacherScreen } from './screens/TeacherDashboard.ts';
import { landingScreen, wireLanding } from './screens/Landing.ts';
import { lobbyScreen } from './screens/Lobby.ts';
import { PlayScreen } from './screens/Play.ts';

type ScreenKind = 'landing' | 'class' | 'lobby' | 'play';

export class App {
  private kind?: ScreenKind;
  /** What the class screen was last drawn from, but for the countdown's seconds. */
  private classShape?: string;
  private play?: PlayScreen;
  private inGame = false;
  private practice = false;
  private projector = false;
  /** The player asked for the lobby between rounds. */
  private lobbyRequested = false;
  private readonly screen = h('div', { class: 'screen' });
  /** No redraw of the screen between a press in it and its release (the click would be lost). */
  private readonly hold = new PressHold(this.screen);
  private readonly banner = h('div', { class: 'banner', role: 'status', 'aria-live': 'polite', id: 'connection-status' });
  private readonly toast = h('div', { class: 'toast', role: 'alert', id: 'error-toast' });
  private toastTimer?: ReturnType<typeof setTimeout>;

  constructor(
    root: HTMLElement,
    private readonly bus: Bus,
    private readonly conn: GameConnection,
    /** The element Phaser draws into; moved into the play screen, never recreated. */
    private readonly networkHost: HTMLElement,
    private readonly startNetwork: () => void,
    private readonly prefillClass?: string,
  ) {
    root.replaceChildren(h('a', { class: 'skip', href: '#main' }, 'Skip to content'), this.banner, this.toast, this.screen, h('div', { id: 'announcer', class: 'sr-only', 'aria-live': 'polite' }));
    bus.on('game:joined', ({ practice }) => {
      this.inGame = true;
      this.practice = practice;
      this.render();
    });
    bus.on('game:left', ({ reason }) => {
      if (reason !== 'left') this.showError(reason);
      this.inGame = false;
      this.lobbyRequested = false;
      this.practice = false;
      this.play?.destroy();
      this.play = undefined;
      this.render();
    });
    bus.on('game:lobby', () => this.render());
    bus.on('game:view', (v) => this.render(v));
    bus.on('game:spectate', (v) => this.render(v));
    bus.on('class:state', () => this.render());
    bus.on('class:hiddenAttackers', () => this.render());
    bus.on('class:misconceptions', () => this.render());
    bus.on('class:left', ({ reason }) => {
      this.projector = false;
      if (reason !== 'left') this.showError(reason === 'connection lost' ? 'Lost the class connection: join again with the code.' : reason);
      this.render();
    });
    bus.on('net:status', ({ state, detail }) => {
      this.banner.textContent =
        state === 'reconnecting' ? `⟳ ${detail ?? 'Reconnecting…'}` : state === 'offline' && detail ? `⚠ ${detail}` : state === 'connecting' ? '⟳ Connecting…' : '';
      this.banner.classList.toggle('visible', !!this.banner.textContent);
    });
    bus.on('net:error', ({ message }) => this.showError(message));
    bus.on('game:file', saveFile);
    this.render();
  }

  private render(view?: RoleView | SpectatorView): void {
    if (this.hold.defer(() => this.render(view))) return;
    const lobby = this.inGame ? this.bus.latest('game:lobby') : undefined;
    const klass = this.bus.latest('class:state');
    const current = view ?? this.bus.latest('game:view') ?? this.bus.latest('game:spectate');
    if (lobby?.phase === 'playing') this.lobbyRequested = false;
    const inRound = !!lobby && lobby.phase !== 'lobby' && !!current && !(lobby.phase === 'over' && this.lobbyRequested);
    const kind: ScreenKind = this.inGame ? (inRound ? 'play' : 'lobby') : klass ? 'class' : 'landing';

    // The teacher showing a room live on the projector: the same screen, in type the back row can read.
    document.documentElement.classList.toggle('projector-mode', this.projector && kind === 'play');
    if (kind === 'play' && current) {
      if (this.kind !== 'play' || !this.play) {
        this.play?.destroy();
        this.play = new PlayScreen(this.bus, this.conn, this.networkHost, this.practice, () => {
          this.lobbyRequested = true;
          this.render();
        });
        this.swap(this.play.el);
        this.startNetwork();
      }
      this.kind = kind;
      this.play.update(current);
      return;
    }
    if (this.kind === 'play') {
      this.play?.destroy();
      this.play = undefined;
    }
    // The other screens are cheap: redraw them whole (focus is kept by id).
    if (kind === 'lobby') {
      if (!lobby) return this.swapKind(kind, h('main', { id: 'main', class: 'lobby' }, h('p', { role: 'status' }, 'Joining the room…')));
      return this.swapKind(kind, lobbyScreen(lobby, this.conn, this.practice));
    }
    if (kind === 'class' && klass) {
      // The countdown ticks every second: it changes in place, the screen (and the button under the teacher's cursor) stays.
      const { nextRoundIn, ...rest } = klass;
      const shape = JSON.stringify([rest, nextRoundIn >= 0, this.projector, this.conn.isSuperseded, this.conn.teacherDesk.watchableRooms, this.bus.latest('class:hiddenAttackers'), this.bus.latest('class:misconceptions')]);
      if (this.kind === kind && shape === this.classShape) {
        for (const el of this.screen.querySelectorAll('[data-countdown]')) el.textContent = String(nextRoundIn);
        return;
      }
      this.classShape = shape;
      return this.swapKind(kind, this.classScreen(klass));
    }
    if (this.kind !== 'landing') {
      const el = landingScreen(this.conn, this.prefillClass);
      wireLanding(el);
      this.swapKind('landing', el);
    }
  }

  private classScreen(info: ClassInfo): HTMLElement {
    return info.isTeacher
      ? teacherScreen(info, this.conn, this.projector, (on) => {
          this.projector = on;
          this.kind = undefined;
          this.render();
        })
      : studentWaitingScreen(info, this.conn);
  }

  private swapKind(kind: ScreenKind, el: HTMLElement): void {
    const fresh = this.kind !== kind;
    this.kind = kind;
    this.swap(el, fresh);
  }

  private swap(el: HTMLElement, fresh = true): void {
    replaceChildren(this.screen, el);
    if (fresh) {
      // A new screen: move focus to its heading so keyboard and screen-reader users start there.
      const heading = el.querySelector<HTMLElement>('h1');
      if (heading) {
        heading.tabIndex = -1;
        heading.focus({ preventScroll: true });
      }
    }
  }

  private showError(message: string): void {
    this.toast.textContent = `⚠ ${message}`;
    this.toast.classList.add('visible');
    clearTimeout(this.toastTimer);
    this.toastTimer = setTimeout(() => this.toast.classList.remove('visible'), 6000);
  }
}

export type { LobbyInfo };
