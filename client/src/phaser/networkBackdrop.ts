/**
 * The static network drawn under the parcels: the wires (the café Wi-Fi dashed), each node's
 * icon and words, Mallory beside her router, and the heading of the pile of held parcels. Drawn
 * whole for a layout, and again whenever the layout changes.
 */
import Phaser from 'phaser';
import { NODE_RADIUS, NODE_TEXT, WIRES, type Anchor, type NetworkLayout, type NodeId, type Point } from './layout.ts';

export const COLORS = {
  background: 0x0f1b2d,
  wire: 0x5b7290,
  wifi: 0x8fb3d9,
  node: 0xdfe8f2,
  nodeDark: 0x1d2f47,
  attacker: 0xe07a5f,
};

export const FONT = 'system-ui, sans-serif';

export interface Backdrop {
  /** Everything drawn, to destroy before the next drawing. */
  objects: Phaser.GameObjects.GameObject[];
  /** Every text of the map (what the browser tests measure). */
  texts: Phaser.GameObjects.Text[];
  /** The CA node and its wire, shown where the level's CA plays. */
  caGroup: Phaser.GameObjects.Container;
  /** The CA node's two lines: the root's name, or the intermediate's where the level's CA seat runs one. */
  caText?: { label: Phaser.GameObjects.Text; caption: Phaser.GameObjects.Text };
  /** Shown while a parcel is held at the tap. */
  heldLabel: Phaser.GameObjects.Text;
}

/** Draws the network for `layout`, its text at `zoom` canvas pixels per view unit. */
export function drawBackdrop(add: Phaser.GameObjects.GameObjectFactory, layout: NetworkLayout, zoom: number): Backdrop {
  const objects: Phaser.GameObjects.GameObject[] = [];
  const texts: Phaser.GameObjects.Text[] = [];
  const keep = <T extends Phaser.GameObjects.GameObject>(object: T): T => {
    objects.push(object);
    return object;
  };
  const text = (at: Anchor, words: string, style: Phaser.Types.GameObjects.Text.TextStyle): Phaser.GameObjects.Text => {
    const drawn = keep(add.text(at.x, at.y, words, { fontFamily: FONT, resolution: zoom, ...style }).setOrigin(at.originX, at.originY));
    texts.push(drawn);
    return drawn;
  };
  const { nodes } = layout;
  const g = keep(add.graphics());
  const caWire = add.graphics();
  for (const [a, b] of WIRES) {
    const from = nodes[a];
    const to = nodes[b];
    const wifi = a === 'client' && b === 'router';
    const pen = b === 'ca' ? caWire : g;
    pen.lineStyle(wifi ? 2 : 4, wifi ? COLORS.wifi : COLORS.wire, 1);
    if (wifi) dashed(pen, from, to, 8, 6);
    else pen.lineBetween(from.x, from.y, to.x, to.y);
  }
  const caGroup = keep(add.container(0, 0, [caWire]));
  let caText: Backdrop['caText'] | undefined;
  for (const id of Object.keys(nodes) as NodeId[]) {
    const node = nodes[id];
    const icon = add.graphics({ x: node.x, y: node.y });
    drawNode(icon, id);
    const label = text(node.label, NODE_TEXT[id].label, { fontSize: '16px', color: '#ffffff', fontStyle: 'bold' });
    const caption = text(node.caption, NODE_TEXT[id].caption, { fontSize: '13px', color: '#b8c7d9' });
    if (id === 'ca') {
      caGroup.add([icon, label, caption]);
      caText = { label, caption };
    } else keep(icon);
  }
  // Mallory, on the café Wi-Fi.
  const { mallory } = layout;
  const figure = keep(add.graphics({ x: mallory.x, y: mallory.y }));
  figure.fillStyle(COLORS.attacker).fillCircle(0, -12, 8).fillTriangle(-12, 14, 12, 14, 0, -6);
  figure.fillStyle(COLORS.background).fillRect(-5, -14, 10, 3);
  text({ x: mallory.x, y: mallory.y + 16, originX: 0.5, originY: 0 }, 'Mallory', { fontSize: '13px', color: '#f4b8a6' });
  const heldLabel = text(layout.heldHeading, layout.heldHeading.text, { fontSize: '13px', color: '#ffd27a' }).setVisible(false);
  return { objects, texts, caGroup, caText, heldLabel };
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
