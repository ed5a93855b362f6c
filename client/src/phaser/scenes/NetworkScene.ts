/**
 * The network view: Alice's laptop, the café Wi-Fi router where Mallory taps the wire, the
 * internet, the bank and (from level 4) the CA; every packet of the round moves along the
 * wires as a parcel whose look says what an onlooker can do with it. It only reads views from
 * the bus and reports clicks back to it. Beside it: the static map it draws under the parcels
 * (networkBackdrop.ts), where a parcel on the wire sits (wirePlacement.ts), its frame rate
 * (framePacer.ts) and what browser tests read of it (networkProbe.ts).
 *
 * The canvas is as large as its parent (whose size the page's CSS sets) at the screen's pixel
 * density; the camera zooms so that one view unit is one CSS pixel at the page's normal type
 * size. Text therefore keeps its size on a phone, and grows with the projector's type.
 */
import Phaser from 'phaser';
import { bus } from '../../bus.ts';
import { LEVEL_TEXTS, type ParcelView, type SpectatorView } from '../../shared.ts';
import { FramePacer } from '../framePacer.ts';
import { MIN_VIEW_WIDTH, NODE_TEXT, fractionAt, layoutFor, pointAlong, route } from '../layout.ts';
import { COLORS, drawBackdrop, FONT, type Backdrop } from '../networkBackdrop.ts';
import { exposeProbe, measureMap, type NetworkProbe } from '../networkProbe.ts';
import { placeOnWire, type Box } from '../wirePlacement.ts';

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

/** The root font size (styles.css) the map is drawn for; larger type zooms it. */
const BASE_FONT_PX = 15;
/** Above this density the extra pixels cost fill rate and buy nothing visible. */
const MAX_PIXEL_RATIO = 2;

export class NetworkScene extends Phaser.Scene {
  private view?: NetworkView;
  /** The room's network speed (0 pauses): parcels travel this many game ms per real ms. */
  private speed = 1;
  private reducedMotion = false;
  private sprites = new Map<number, Sprite>();
  private layout = layoutFor(960, 320);
  /** Canvas pixels per view unit. */
  private zoom = 1;
  /** The static network, redrawn whole when the layout changes. */
  private backdrop?: Backdrop;
  private unsubscribe: (() => void)[] = [];
  private readonly pacer = new FramePacer(() => this.game.loop);

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
    exposeProbe(() => this.probe());
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
      const { spot, labelAt, box } = placeOnWire(this.layout, parcel, sprite.travelled, sprite.label, this.reducedMotion, onWire);
      onWire.push(box);
      this.placeLabel(sprite, labelAt);
      sprite.container.setPosition(spot.x, spot.y);
    }
  }

  /** Full frame rate only while something on the map moves. */
  private pace(): void {
    let moving = false;
    if (!this.reducedMotion && this.speed > 0) for (const sprite of this.sprites.values()) if (sprite.status === 'inFlight') moving = true;
    this.pacer.want(moving);
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

  // ---- views and parcels ---------------------------------------------------------------------------

  private showView(view: NetworkView): void {
    this.view = view;
    this.backdrop?.caGroup.setVisible(view.caPlays);
    this.nameCa(view);
    this.backdrop?.heldLabel.setVisible(view.parcels.some((p) => p.status === 'held'));

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
    this.pacer.want(true); // draw this view in the next frame; update() slows down again if nothing moves
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

  private drawNetwork(): void {
    for (const object of this.backdrop?.objects ?? []) object.destroy();
    this.backdrop = drawBackdrop(this.add, this.layout, this.zoom);
    if (this.view) {
      this.backdrop.caGroup.setVisible(this.view.caPlays);
      this.nameCa(this.view);
    }
  }

  private nameCa(view: NetworkView): void {
    const words = LEVEL_TEXTS[view.level]?.caNode ?? NODE_TEXT.ca; // a level id from the wire may be one this page does not know
    this.backdrop?.caText?.label.setText(words.label);
    this.backdrop?.caText?.caption.setText(words.caption);
  }

  // ---- for browser tests ---------------------------------------------------------------

  private probe(): NetworkProbe {
    return measureMap({ canvas: this.game.canvas, gameWidth: this.scale.width, zoom: this.zoom, orientation: this.layout.orientation, texts: this.backdrop?.texts ?? [], parcels: this.sprites });
  }
}
