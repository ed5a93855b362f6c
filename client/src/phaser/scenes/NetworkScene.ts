/**
 * The network view: Alice's laptop, the café Wi-Fi router where Mallory taps the wire, the
 * internet, the bank and (from level 4) the CA; every packet of the round moves along the
 * wires as a parcel whose look says what an onlooker can do with it. It only reads views from
 * the bus and reports clicks back to it.
 */
import Phaser from 'phaser';
import { bus } from '../../bus.ts';
import type { ParcelView, SpectatorView } from '../../shared.ts';

/** What the scene needs of a view: every seat's view and the spectators' have it. */
type NetworkView = Pick<SpectatorView, 'level' | 'now' | 'parcels' | 'caPlays'>;
import { NODES, WIRES, fractionAt, pileSlot, pointAlong, route, type NodeId, type Point } from '../layout.ts';

interface Sprite {
  container: Phaser.GameObjects.Container;
  label: Phaser.GameObjects.Text;
  status: ParcelView['status'];
  /** Game milliseconds this parcel has travelled since this browser first saw it. */
  travelled: number;
}

const COLORS = {
  background: 0x0f1b2d,
  wire: 0x5b7290,
  wifi: 0x8fb3d9,
  node: 0xdfe8f2,
  nodeDark: 0x1d2f47,
  attacker: 0xe07a5f,
};

export class NetworkScene extends Phaser.Scene {
  private view?: NetworkView;
  /** The room's network speed (0 pauses): parcels travel this many game ms per real ms. */
  private speed = 1;
  private reducedMotion = false;
  private sprites = new Map<number, Sprite>();
  private caGroup?: Phaser.GameObjects.Container;
  private heldLabel?: Phaser.GameObjects.Text;
  private unsubscribe: (() => void)[] = [];

  constructor() {
    super('Network');
  }

  create(): void {
    this.cameras.main.setBackgroundColor(COLORS.background);
    this.drawNetwork();
    this.reducedMotion = bus.latest('ui:reducedMotion')?.reduced ?? false;
    this.speed = bus.latest('game:lobby')?.speed ?? 1;
    this.unsubscribe.push(
      bus.on('game:view', (view) => this.showView(view)),
      bus.on('game:spectate', (view) => this.showView(view)),
      bus.on('game:lobby', ({ speed }) => (this.speed = speed)),
      bus.on('ui:reducedMotion', ({ reduced }) => (this.reducedMotion = reduced)),
      bus.on('game:left', () => this.showView({ level: 1, now: 0, parcels: [], caPlays: false })),
    );
    this.events.once(Phaser.Scenes.Events.SHUTDOWN, () => this.unsubscribe.forEach((off) => off()));
    const current = bus.latest('game:view') ?? bus.latest('game:spectate');
    if (current) this.showView(current);
  }

  /**
   * Views arrive when something happens, not every frame: between them each parcel travels on
   * by itself, at the room's speed, from the moment this browser first saw it.
   */
  override update(_time = 0, delta = 0): void {
    if (!this.view) return;
    let heldIndex = 0;
    for (const parcel of this.view.parcels) {
      const sprite = this.sprites.get(parcel.id);
      if (!sprite) continue;
      if (parcel.status === 'inFlight') sprite.travelled += delta * this.speed;
      const target = this.placeFor(parcel, sprite.travelled, parcel.status === 'held' ? heldIndex++ : 0);
      sprite.container.setPosition(target.x, target.y);
    }
  }

  // ---- views ---------------------------------------------------------------------------

  private showView(view: NetworkView): void {
    this.view = view;
    this.caGroup?.setVisible(view.caPlays);
    this.heldLabel?.setVisible(view.parcels.some((p) => p.status === 'held'));

    const visible = new Set<number>();
    for (const parcel of view.parcels) {
      if (parcel.status !== 'inFlight' && parcel.status !== 'held') continue;
      visible.add(parcel.id);
      const existing = this.sprites.get(parcel.id);
      const sprite = existing ?? this.makeParcel(parcel);
      if (sprite.status === 'held' && parcel.status === 'inFlight') {
        // Released by Mallory: it goes on from the tap.
        sprite.travelled = (parcel.arriveAt - parcel.sentAt) * fractionAt(route(parcel.from, parcel.to), 'router');
      }
      sprite.status = parcel.status;
      sprite.label.setText(labelFor(parcel));
      // On the wire the label rides above the parcel; in the pile it sits to the right.
      if (parcel.status === 'held') sprite.label.setPosition(18, 0).setOrigin(0, 0.5);
      else sprite.label.setPosition(0, -13).setOrigin(0.5, 1);
      this.sprites.set(parcel.id, sprite);
    }
    for (const [id, sprite] of this.sprites) {
      if (!visible.has(id)) {
        sprite.container.destroy();
        this.sprites.delete(id);
      }
    }
    this.update();
  }

  private placeFor(parcel: ParcelView, travelled: number, heldIndex: number): Point {
    if (parcel.status === 'held') return pileSlot(heldIndex);
    const chain = route(parcel.from, parcel.to);
    const span = Math.max(1, parcel.arriveAt - parcel.sentAt);
    // Short of the goal until the server says it arrived; reduced motion: no travel, the parcel
    // jumps onto the middle of its wire.
    const at = pointAlong(chain, this.reducedMotion ? 0.5 : Math.min(0.95, travelled / span));
    // Each direction has its lane beside the wire, so parcels do not hide the nodes or each other.
    const lane = laneOffset(chain);
    return { x: at.x + lane.x, y: at.y + lane.y };
  }

  private makeParcel(parcel: ParcelView): Sprite {
    const icon = this.add.image(0, 0, `parcel-${parcel.look}`).setScale(1.25);
    const label = this.add
      .text(0, -13, labelFor(parcel), { fontFamily: 'system-ui, sans-serif', fontSize: '13px', color: '#ffffff', backgroundColor: '#0f1b2dcc' })
      .setOrigin(0.5, 1)
      .setPadding(2, 1, 2, 1);
    const container = this.add.container(0, 0, [icon, label]).setDepth(10);
    icon.setInteractive({ useHandCursor: true });
    icon.on('pointerdown', () => bus.emit('ui:selectPacket', { id: parcel.id }));
    const start = pointAlong(route(parcel.from, parcel.to), 0);
    container.setPosition(start.x, start.y);
    return { container, label, status: parcel.status, travelled: 0 };
  }

  // ---- the static network --------------------------------------------------------------

  private drawNetwork(): void {
    const g = this.add.graphics();
    const caWire = this.add.graphics();
    for (const [a, b] of WIRES) {
      const from = NODES[a];
      const to = NODES[b];
      const wifi = a === 'client' && b === 'router';
      const pen = b === 'ca' ? caWire : g;
      pen.lineStyle(wifi ? 2 : 4, wifi ? COLORS.wifi : COLORS.wire, 1);
      if (wifi) dashed(pen, from, to, 8, 6);
      else pen.lineBetween(from.x, from.y, to.x, to.y);
    }
    this.caGroup = this.add.container(0, 0, [caWire]);
    for (const id of Object.keys(NODES) as NodeId[]) {
      const node = NODES[id];
      const icon = this.add.graphics({ x: node.x, y: node.y });
      drawNode(icon, id);
      const label = this.add
        .text(node.x, node.y + 36, node.label, { fontFamily: 'system-ui, sans-serif', fontSize: '16px', color: '#ffffff', fontStyle: 'bold' })
        .setOrigin(0.5, 0);
      const caption = this.add
        .text(node.x, node.y + 54, node.caption, { fontFamily: 'system-ui, sans-serif', fontSize: '13px', color: '#b8c7d9' })
        .setOrigin(0.5, 0);
      if (id === 'ca') this.caGroup.add([icon, label, caption]);
    }
    // Mallory, on the café Wi-Fi.
    const mallory = this.add.graphics({ x: NODES.router.x + 62, y: NODES.router.y + 2 });
    mallory.fillStyle(COLORS.attacker).fillCircle(0, -12, 8).fillTriangle(-12, 14, 12, 14, 0, -6);
    mallory.fillStyle(COLORS.background).fillRect(-5, -14, 10, 3);
    this.add
      .text(NODES.router.x + 62, NODES.router.y + 18, 'Mallory', { fontFamily: 'system-ui, sans-serif', fontSize: '13px', color: '#f4b8a6' })
      .setOrigin(0.5, 0);
    this.heldLabel = this.add
      .text(NODES.router.x - 58, NODES.router.y - 62, 'held ▶',  { fontFamily: 'system-ui, sans-serif', fontSize: '13px', color: '#ffd27a' })
      .setOrigin(1, 0.5)
      .setVisible(false);
  }
}

/** 18 px to the left of the direction of travel (above the wire going right, below going left). */
function laneOffset(chain: NodeId[]): Point {
  const a = NODES[chain[0]];
  const b = NODES[chain[chain.length - 1]];
  const length = Math.hypot(b.x - a.x, b.y - a.y) || 1;
  return { x: ((b.y - a.y) / length) * 18, y: (-(b.x - a.x) / length) * 18 };
}

function labelFor(parcel: ParcelView): string {
  return parcel.status === 'held' ? `${parcel.label} (held)` : parcel.label;
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
  g.fillStyle(COLORS.nodeDark).fillCircle(0, 0, 32);
  g.lineStyle(2, COLORS.node).strokeCircle(0, 0, 32);
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
