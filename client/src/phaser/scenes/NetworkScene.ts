/**
 * The network view: Alice's laptop, the café Wi-Fi router where Mallory taps the wire, the
 * internet, the bank and (from level 4) the CA; every packet of the round moves along the
 * wires as a parcel whose look says what an onlooker can do with it. It only reads views from
 * the bus and reports clicks back to it.
 *
 * The canvas is as large as its parent (whose size the page's CSS sets) at the screen's pixel
 * density; the camera zooms so that one view unit is one CSS pixel at the page's normal type
 * size. Text therefore keeps its size on a phone, and grows with the projector's type.
 */
import Phaser from 'phaser';
import { bus } from '../../bus.ts';
import { LEVEL_TEXTS, type ParcelView, type SpectatorView } from '../../shared.ts';
import {
  MIN_VIEW_WIDTH,
  NODE_RADIUS,
  NODE_TEXT,
  WIRES,
  chainLength,
  fractionAt,
  laneOffset,
  layoutFor,
  pointAlong,
  route,
  type Anchor,
  type NetworkLayout,
  type NodeId,
  type Point,
} from '../layout.ts';

/** What the scene needs of a view: every seat's view and the spectators' have it. */
type NetworkView = Pick<SpectatorView, 'level' | 'now' | 'parcels' | 'caPlays'>;

interface Sprite {
  container: Phaser.GameObjects.Container;
  label: Phaser.GameObjects.Text;
  status: ParcelView['status'];
  /** Game milliseconds this parcel has travelled since this browser first saw it. */
  travelled: number;
  /** Where its label sits: beside it in the pile, above or below it on the wire (away from the wire). */
  labelAt?: 'right' | 'above' | 'below';
}

interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** What a browser test reads of the drawn map (see `exposeProbe`): sizes in CSS pixels. */
export interface NetworkProbe {
  orientation: NetworkLayout['orientation'];
  canvas: { left: number; top: number; width: number; height: number; pixelWidth: number };
  /** Every visible text: the map's own, and the labels of parcels held at the tap or on the wire. */
  texts: { kind: 'map' | 'held' | 'wire'; text: string; fontPx: number; left: number; top: number; right: number; bottom: number }[];
  parcels: { id: number; status: ParcelView['status']; x: number; y: number }[];
}

const COLORS = {
  background: 0x0f1b2d,
  wire: 0x5b7290,
  wifi: 0x8fb3d9,
  node: 0xdfe8f2,
  nodeDark: 0x1d2f47,
  attacker: 0xe07a5f,
};

/** The root font size (styles.css) the map is drawn for; larger type zooms it. */
const BASE_FONT_PX = 15;
/** Above this density the extra pixels cost fill rate and buy nothing visible. */
const MAX_PIXEL_RATIO = 2;
const FONT = 'system-ui, sans-serif';
/** How far (view units) a queued parcel steps back at a time until it is clear of the one ahead. */
const QUEUE_STEP = 8;
/** Half a parcel's icon (28×20 drawn at 1.25×). */
const ICON_HALF = { x: 17.5, y: 12.5 };
/**
 * Frames a second while a parcel travels, and while none does: a still map drawn 30 times a
 * second cost a quarter of a core per open page (a school Chromebook, a class of browsers on
 * one laptop), and 4 a second still an eighth. A new view is drawn at once (showView asks for
 * the next frame); a still map is redrawn once a second (a resize shows within it).
 *
 * A still map also waits on a timer, not on animation frames: a page that asks for every
 * animation frame is composited at the display's rate whether or not it draws (0.35 of a core
 * per page in a software-rendered Chromium, 0.08 with the timer).
 */
const MOVING_FPS = 30;
const STILL_FPS = 1;

export class NetworkScene extends Phaser.Scene {
  private view?: NetworkView;
  /** The room's network speed (0 pauses): parcels travel this many game ms per real ms. */
  private speed = 1;
  private reducedMotion = false;
  private sprites = new Map<number, Sprite>();
  private layout = layoutFor(960, 320);
  /** Canvas pixels per view unit. */
  private zoom = 1;
  /** Everything drawn for the static network, redrawn whole when the layout changes. */
  private backdrop: Phaser.GameObjects.GameObject[] = [];
  private texts: Phaser.GameObjects.Text[] = [];
  private caGroup?: Phaser.GameObjects.Container;
  /** The CA node's two lines: the root's name, or the intermediate's where the level's CA seat runs one. */
  private caText?: { label: Phaser.GameObjects.Text; caption: Phaser.GameObjects.Text };
  private heldLabel?: Phaser.GameObjects.Text;
  private unsubscribe: (() => void)[] = [];
  /** The pace asked for in this turn of the event loop (applied after it, see setPace). */
  private paceWanted: boolean | undefined;

  constructor() {
    super('Network');
  }

  create(): void {
    this.cameras.main.setBackgroundColor(COLORS.background).setOrigin(0, 0);
    this.reducedMotion = bus.latest('ui:reducedMotion')?.reduced ?? false;
    this.speed = bus.latest('game:lobby')?.speed ?? 1;
    this.scale.on(Phaser.Scale.Events.RESIZE, this.fitToParent, this);
    this.unsubscribe.push(
      () => this.scale.off(Phaser.Scale.Events.RESIZE, this.fitToParent, this),
      bus.on('game:view', (view) => this.showView(view)),
      bus.on('game:spectate', (view) => this.showView(view)),
      bus.on('game:lobby', ({ speed }) => (this.speed = speed)),
      bus.on('ui:reducedMotion', ({ reduced }) => (this.reducedMotion = reduced)),
      bus.on('game:left', () => this.showView({ level: 1, now: 0, parcels: [], caPlays: false })),
    );
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.unsubscribe.forEach((off) => off()));
    this.drawNetwork();
    this.fitToParent();
    this.exposeProbe();
    const current = bus.latest('game:view') ?? bus.latest('game:spectate');
    if (current) this.showView(current);
  }

  /**
   * Views arrive when something happens, not every frame: between them each parcel travels on
   * by itself, at the room's speed, from the moment this browser first saw it.
   */
  override update(_time = 0, delta = 0): void {
    this.pace();
    if (!this.view) return;
    let heldIndex = 0;
    const onWire: Box[] = [];
    for (const parcel of this.view.parcels) {
      const sprite = this.sprites.get(parcel.id);
      if (!sprite) continue;
      if (parcel.status === 'held') {
        const slot = this.layout.pileSlot(heldIndex++);
        this.placeLabel(sprite, 'right');
        sprite.container.setPosition(slot.x, slot.y);
        continue;
      }
      sprite.travelled += delta * this.speed;
      const { spot, labelAt, box } = this.placeOnWire(parcel, sprite, onWire);
      onWire.push(box);
      this.placeLabel(sprite, labelAt);
      sprite.container.setPosition(spot.x, spot.y);
    }
  }

  /** Full frame rate only while something on the map moves. */
  private pace(): void {
    let moving = false;
    if (!this.reducedMotion && this.speed > 0) for (const sprite of this.sprites.values()) if (sprite.status === 'inFlight') moving = true;
    this.setPace(moving);
  }

  private setPace(moving: boolean): void {
    const alreadyScheduled = this.paceWanted !== undefined;
    this.paceWanted = moving;
    // Not from inside a frame (update runs in one): Phaser's frame callback asks for the next
    // animation frame after it returns, so a loop restarted in it would run twice, and on.
    if (!alreadyScheduled) queueMicrotask(() => this.applyPace());
  }

  private applyPace(): void {
    const moving = this.paceWanted;
    this.paceWanted = undefined;
    if (moving === undefined) return;
    const loop = this.game.loop as Phaser.Core.TimeStep & { forceSetTimeOut: boolean };
    const fps = moving ? MOVING_FPS : STILL_FPS;
    if (loop.fpsLimit === fps && loop.forceSetTimeOut === !moving) return;
    // Phaser's typings call it read-only; setFPSLimit restarts the loop on whichever it says.
    loop.forceSetTimeOut = !moving;
    loop.setFPSLimit(fps);
  }

  // ---- size and layout -----------------------------------------------------------------

  /**
   * The Scale Manager (FIT) reports its parent's size when it changes (a window resize, or its
   * own check every half second): size the canvas to it, zoom to the type size, and lay the map
   * out for the space in view units, in a row or, taller than wide, in a column.
   */
  private fitToParent(): void {
    const parent = this.scale.parentSize;
    const cssWidth = Math.floor(parent.width);
    const cssHeight = Math.floor(parent.height);
    if (cssWidth < 100 || cssHeight < 100) return; // not on the page (between rounds)
    const ratio = Math.min(MAX_PIXEL_RATIO, Math.max(1, window.devicePixelRatio || 1));
    // Larger type zooms the map, but never so far that its column would not fit (the projector's type on a phone).
    const type = parseFloat(getComputedStyle(document.documentElement).fontSize) / BASE_FONT_PX;
    const ui = Math.max(1, Math.min(Number.isFinite(type) ? type : 1, cssWidth / MIN_VIEW_WIDTH));
    const width = Math.round(cssWidth * ratio);
    const height = Math.round(cssHeight * ratio);
    // setGameSize refreshes the Scale Manager, which calls back here with the new size.
    if (this.scale.width !== width || this.scale.height !== height) return void this.scale.setGameSize(width, height);
    const zoom = ratio * ui;
    const layout = layoutFor(cssWidth / ui, cssHeight / ui);
    if (zoom === this.zoom && layout.width === this.layout.width && layout.height === this.layout.height) return;
    this.zoom = zoom;
    this.layout = layout;
    this.cameras.main.setSize(width, height).setZoom(zoom);
    this.drawNetwork();
    for (const sprite of this.sprites.values()) sprite.label.setResolution(zoom);
    if (this.view) this.showView(this.view);
  }

  // ---- views ---------------------------------------------------------------------------

  private showView(view: NetworkView): void {
    this.view = view;
    this.caGroup?.setVisible(view.caPlays);
    this.nameCa(view);
    this.heldLabel?.setVisible(view.parcels.some((p) => p.status === 'held'));

    const visible = new Set<number>();
    for (const parcel of view.parcels) {
      if (parcel.status !== 'inFlight' && parcel.status !== 'held') continue;
      visible.add(parcel.id);
      const existing = this.sprites.get(parcel.id);
      const sprite = existing ?? this.makeParcel(parcel);
      if (sprite.status === 'held' && parcel.status === 'inFlight') {
        // Released by Mallory: it goes on from the tap.
        sprite.travelled = (parcel.arriveAt - parcel.sentAt) * fractionAt(this.layout, route(parcel.from, parcel.to), 'router');
      }
      sprite.status = parcel.status;
      sprite.label.setText(parcel.label);
      this.sprites.set(parcel.id, sprite);
    }
    for (const [id, sprite] of this.sprites) {
      if (!visible.has(id)) {
        sprite.container.destroy();
        this.sprites.delete(id);
      }
    }
    this.update();
    this.setPace(true); // draw this view in the next frame; update() slows down again if nothing moves
  }

  /**
   * Where a parcel on the wire is drawn, with its label on the side away from the wire. One sent
   * with another (a ServerHello and its Certificate) queues behind it until neither hides the other.
   */
  private placeOnWire(parcel: ParcelView, sprite: Sprite, taken: Box[]): { spot: Point; labelAt: 'above' | 'below'; box: Box } {
    const chain = route(parcel.from, parcel.to);
    const span = Math.max(1, parcel.arriveAt - parcel.sentAt);
    const step = QUEUE_STEP / Math.max(1, chainLength(this.layout, chain));
    // Short of the goal until the server says it arrived; reduced motion: no travel, the parcel
    // jumps onto the middle of its wire.
    let t = this.reducedMotion ? 0.5 : Math.min(0.95, sprite.travelled / span);
    for (let tries = 0; tries < 30; tries++) {
      const at = pointAlong(this.layout, chain, t);
      // Each direction has its lane beside the wire, so parcels do not hide the nodes or each other.
      const lane = laneOffset(at.direction);
      const spot = { x: at.x + lane.x, y: at.y + lane.y };
      const labelAt = lane.y > 1 ? 'below' : 'above';
      const box = parcelBox(spot, sprite.label, labelAt);
      if (!taken.some((b) => overlaps(b, box))) return { spot, labelAt, box };
      if (t <= 0) break;
      t = Math.max(0, t - step);
    }
    // Just sent, with no room left behind it on the wire: stack it beside its lane, one lane further out each time.
    const at = pointAlong(this.layout, chain, t);
    const lane = laneOffset(at.direction);
    let placed: { spot: Point; labelAt: 'above' | 'below'; box: Box } | undefined;
    for (let k = 1; k <= 4; k++) {
      const spot = { x: at.x + lane.x * (1 + 2 * k), y: at.y + lane.y * (1 + 2 * k) };
      const labelAt = lane.y > 1 ? 'below' : 'above';
      placed = { spot, labelAt, box: parcelBox(spot, sprite.label, labelAt) };
      if (!taken.some((b) => overlaps(b, placed!.box))) break;
    }
    return placed!;
  }

  private placeLabel(sprite: Sprite, at: NonNullable<Sprite['labelAt']>): void {
    if (sprite.labelAt === at) return;
    sprite.labelAt = at;
    if (at === 'right') sprite.label.setPosition(18, 0).setOrigin(0, 0.5);
    else if (at === 'above') sprite.label.setPosition(0, -13).setOrigin(0.5, 1);
    else sprite.label.setPosition(0, 13).setOrigin(0.5, 0);
  }

  private makeParcel(parcel: ParcelView): Sprite {
    const icon = this.add.image(0, 0, `parcel-${parcel.look}`).setScale(1.25);
    const label = this.add
      .text(0, -13, parcel.label, { fontFamily: FONT, fontSize: '13px', color: '#ffffff', backgroundColor: '#0f1b2dcc', resolution: this.zoom })
      .setOrigin(0.5, 1)
      .setPadding(2, 1, 2, 1);
    const container = this.add.container(0, 0, [icon, label]).setDepth(10);
    icon.setInteractive({ useHandCursor: true });
    icon.on('pointerdown', () => bus.emit('ui:selectPacket', { id: parcel.id }));
    const start = pointAlong(this.layout, route(parcel.from, parcel.to), 0);
    container.setPosition(start.x, start.y);
    return { container, label, status: parcel.status, travelled: 0 };
  }

  // ---- the static network --------------------------------------------------------------

  private drawNetwork(): void {
    for (const object of this.backdrop) object.destroy();
    this.backdrop = [];
    this.texts = [];
    const { nodes } = this.layout;
    const g = this.keep(this.add.graphics());
    const caWire = this.add.graphics();
    for (const [a, b] of WIRES) {
      const from = nodes[a];
      const to = nodes[b];
      const wifi = a === 'client' && b === 'router';
      const pen = b === 'ca' ? caWire : g;
      pen.lineStyle(wifi ? 2 : 4, wifi ? COLORS.wifi : COLORS.wire, 1);
      if (wifi) dashed(pen, from, to, 8, 6);
      else pen.lineBetween(from.x, from.y, to.x, to.y);
    }
    this.caGroup = this.keep(this.add.container(0, 0, [caWire]));
    for (const id of Object.keys(nodes) as NodeId[]) {
      const node = nodes[id];
      const icon = this.add.graphics({ x: node.x, y: node.y });
      drawNode(icon, id);
      const label = this.text(node.label, NODE_TEXT[id].label, { fontSize: '16px', color: '#ffffff', fontStyle: 'bold' });
      const caption = this.text(node.caption, NODE_TEXT[id].caption, { fontSize: '13px', color: '#b8c7d9' });
      if (id === 'ca') {
        this.caGroup.add([icon, label, caption]);
        this.caText = { label, caption };
      } else this.keep(icon);
    }
    // Mallory, on the café Wi-Fi.
    const { mallory } = this.layout;
    const figure = this.keep(this.add.graphics({ x: mallory.x, y: mallory.y }));
    figure.fillStyle(COLORS.attacker).fillCircle(0, -12, 8).fillTriangle(-12, 14, 12, 14, 0, -6);
    figure.fillStyle(COLORS.background).fillRect(-5, -14, 10, 3);
    this.text({ x: mallory.x, y: mallory.y + 16, originX: 0.5, originY: 0 }, 'Mallory', { fontSize: '13px', color: '#f4b8a6' });
    this.heldLabel = this.text(this.layout.heldHeading, this.layout.heldHeading.text, { fontSize: '13px', color: '#ffd27a' }).setVisible(false);
    if (this.view) {
      this.caGroup.setVisible(this.view.caPlays);
      this.nameCa(this.view);
    }
  }

  private nameCa(view: NetworkView): void {
    const words = LEVEL_TEXTS[view.level]?.caNode ?? NODE_TEXT.ca; // a level id from the wire may be one this page does not know
    this.caText?.label.setText(words.label);
    this.caText?.caption.setText(words.caption);
  }

  private text(at: Anchor, words: string, style: Phaser.Types.GameObjects.Text.TextStyle): Phaser.GameObjects.Text {
    const text = this.keep(this.add.text(at.x, at.y, words, { fontFamily: FONT, resolution: this.zoom, ...style }).setOrigin(at.originX, at.originY));
    this.texts.push(text);
    return text;
  }

  private keep<T extends Phaser.GameObjects.GameObject>(object: T): T {
    this.backdrop.push(object);
    return object;
  }

  // ---- for browser tests ---------------------------------------------------------------

  /**
   * Under automation only (navigator.webdriver), `window.__heistNetwork()` reports what is drawn
   * where, in CSS pixels, so a test can check text sizes and click a parcel as a player would.
   */
  private exposeProbe(): void {
    if (!navigator.webdriver) return;
    (window as unknown as { __heistNetwork?: () => NetworkProbe }).__heistNetwork = () => this.probe();
  }

  private probe(): NetworkProbe {
    const rect = this.game.canvas.getBoundingClientRect();
    const unit = (this.zoom * rect.width) / this.scale.width; // CSS px per view unit
    const shown = (o: Phaser.GameObjects.Text): boolean => o.visible && (!o.parentContainer || o.parentContainer.visible);
    const labelled = [
      ...this.texts.map((text) => ({ kind: 'map' as const, text })),
      ...[...this.sprites.values()].map((s) => ({ kind: s.status === 'held' ? ('held' as const) : ('wire' as const), text: s.label })),
    ];
    const texts = labelled
      .filter(({ text }) => shown(text) && text.text !== '')
      .map(({ kind, text: t }) => {
        const b = t.getBounds();
        return {
          kind,
          text: t.text,
          fontPx: parseFloat(String(t.style.fontSize)) * unit * t.scaleY * (t.parentContainer?.scaleY ?? 1),
          left: rect.left + b.left * unit,
          top: rect.top + b.top * unit,
          right: rect.left + b.right * unit,
          bottom: rect.top + b.bottom * unit,
        };
      });
    const parcels = [...this.sprites.entries()].map(([id, s]) => ({ id, status: s.status, x: rect.left + s.container.x * unit, y: rect.top + s.container.y * unit }));
    return {
      orientation: this.layout.orientation,
      canvas: { left: rect.left, top: rect.top, width: rect.width, height: rect.height, pixelWidth: this.game.canvas.width },
      texts,
      parcels,
    };
  }
}

/** The space a parcel on the wire takes: its icon and its label. */
function parcelBox(spot: Point, label: Phaser.GameObjects.Text, at: 'above' | 'below'): Box {
  const half = Math.max(ICON_HALF.x, label.width / 2);
  const top = at === 'above' ? spot.y - 13 - label.height : spot.y - ICON_HALF.y;
  const bottom = at === 'above' ? spot.y + ICON_HALF.y : spot.y + 13 + label.height;
  return { left: spot.x - half, top, right: spot.x + half, bottom };
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}

function dashed(g: Phaser.GameObjects.Graphics, from: Point, to: Point, dash: number, gap: number): void {
  const length = Math.hypot(to.x - from.x, to.y - from.y);
  const ux = (to.x - from.x) / length;
  const uy = (to.y - from.y) / length;
  for (let d = 0; d < length; d += dash + gap) {
    const end = Math.min(length, d + dash);
    g.lineBetween(from.x + ux * d, from.y + uy * d, from.x + ux * end, from.y + uy * end);
  }
}

function drawNode(g: Phaser.GameObjects.Graphics, id: NodeId): void {
  g.fillStyle(COLORS.nodeDark).fillCircle(0, 0, NODE_RADIUS);
  g.lineStyle(2, COLORS.node).strokeCircle(0, 0, NODE_RADIUS);
  g.fillStyle(COLORS.node);
  g.lineStyle(2, COLORS.node);
  switch (id) {
    case 'client': // a laptop
      g.strokeRect(-14, -14, 28, 18);
      g.fillRect(-19, 6, 38, 4);
      break;
    case 'router': // a box with antennas and radio waves
      g.fillRect(-16, 0, 32, 10);
      g.lineBetween(-10, 0, -14, -14).lineBetween(10, 0, 14, -14);
      g.beginPath().arc(0, -2, 10, Phaser.Math.DegToRad(225), Phaser.Math.DegToRad(315)).strokePath();
      g.beginPath().arc(0, -2, 16, Phaser.Math.DegToRad(230), Phaser.Math.DegToRad(310)).strokePath();
      break;
    case 'internet': // a cloud
      g.fillCircle(-10, 2, 9).fillCircle(2, -5, 11).fillCircle(13, 3, 8).fillRect(-12, 2, 26, 9);
      break;
    case 'server': // a rack of three units
      for (const y of [-16, -5, 6]) {
        g.strokeRect(-13, y, 26, 9);
        g.fillCircle(8, y + 4.5, 1.8);
      }
      break;
    case 'ca': // a certificate with a seal
      g.strokeRect(-14, -13, 28, 22);
      g.lineBetween(-9, -6, 6, -6).lineBetween(-9, -1, 3, -1);
      g.fillCircle(8, 6, 5);
      break;
  }
}
