/**
 * Where things sit on the network view, and which wires a packet follows between two
 * endpoints. The café Wi-Fi path passes the attacker's tap; the CA path does not.
 *
 * Coordinates are in "view units": CSS pixels at the page's normal type size (the scene
 * zooms its camera by the root font size, so the projector's larger type enlarges the map too).
 * Text is never scaled down to fit: the map is laid out for the space it has instead, in a row
 * when the view is wide, in a column when it is taller than wide (a phone).
 */
import type { Endpoint } from '../shared.ts';

export type NodeId = 'client' | 'router' | 'internet' | 'server' | 'ca';
export type Orientation = 'landscape' | 'portrait';

export interface Point {
  x: number;
  y: number;
}

/** A text's anchor: where it sits and which of its corners sits there (Phaser's origin). */
export interface Anchor extends Point {
  originX: number;
  originY: number;
}

export interface NodePlace extends Point {
  label: Anchor;
  caption: Anchor;
}

export interface NetworkLayout {
  orientation: Orientation;
  width: number;
  height: number;
  nodes: Record<NodeId, NodePlace>;
  /** Mallory's figure, beside the tap; her name goes under it. */
  mallory: Point;
  /** The heading of the pile of held parcels, and its arrow (toward the pile). */
  heldHeading: Anchor & { text: string };
  /** Where the index-th held parcel waits (its label to its right). */
  pileSlot(index: number): Point;
}

export const NODE_TEXT: Record<NodeId, { label: string; caption: string }> = {
  client: { label: "Alice's laptop", caption: 'client' },
  router: { label: 'Café Wi-Fi', caption: "attacker's tap" },
  internet: { label: 'Internet', caption: '' },
  server: { label: 'bank.example', caption: 'server' },
  ca: { label: 'Heist Root CA', caption: 'certificate authority' },
};

/** The wires drawn between nodes. */
export const WIRES: [NodeId, NodeId][] = [
  ['client', 'router'],
  ['router', 'internet'],
  ['internet', 'server'],
  ['internet', 'ca'],
];

/** The narrowest view (view units) the column is drawn for: a 360 px phone's map. */
export const MIN_VIEW_WIDTH = 300;

/** Half a node's icon (a circle), and room either side of a centred node label. */
export const NODE_RADIUS = 32;
const EDGE = 66;

/** The layout for a view of this size (view units): a column when taller than wide. */
export function layoutFor(width: number, height: number): NetworkLayout {
  return height > width ? portrait(width, height) : landscape(width, height);
}

/** Left to right along the bottom, the CA above the internet; labels under the nodes. */
function landscape(width: number, height: number): NetworkLayout {
  const rowY = Math.max(150, height - 108);
  const below = (x: number, y: number): Pick<NodePlace, 'label' | 'caption'> => ({
    label: { x, y: y + 36, originX: 0.5, originY: 0 },
    caption: { x, y: y + 57, originX: 0.5, originY: 0 },
  });
  const at = (x: number, y: number): NodePlace => ({ x, y, ...below(x, y) });
  const internetX = width * 0.573;
  const router = at(width * 0.318, rowY);
  const pileColumn = Math.max(110, Math.min(150, internetX - router.x - 16));
  // The held pile's labels run right, toward the CA's caption: a TLS flight's long names
  // (ServerHelloDone, ChangeCipherSpec) need about 150 units, so a narrow map moves the CA right.
  const room = internetX - 65 - (router.x - 22);
  const caX = internetX + Math.max(0, Math.min(60, 150 - room));
  return {
    orientation: 'landscape',
    width,
    height,
    nodes: {
      client: at(Math.max(EDGE, width * 0.094), rowY),
      router,
      internet: at(internetX, rowY),
      server: at(Math.min(width - EDGE, width * 0.885), rowY),
      ca: at(caX, Math.min(70, rowY - 140)),
    },
    mallory: { x: router.x + 62, y: router.y + 2 },
    heldHeading: { x: router.x - 58, y: router.y - 62, originX: 1, originY: 0.5, text: 'held ▶' },
    // Up from the tap, one per line, then a second column (short of the CA when space is tight).
    pileSlot: (index) => ({ x: router.x - 40 + Math.floor(index / 5) * pileColumn, y: router.y - 62 - (index % 5) * 26 }),
  };
}

/**
 * Top to bottom: Alice, the café Wi-Fi, the internet with the CA beside it, the bank. The wire
 * runs down the left third; labels sit to the right of the nodes, the held pile under the tap.
 */
function portrait(width: number, height: number): NetworkLayout {
  const x = Math.min(120, Math.max(80, width * 0.3));
  const beside = (y: number): Pick<NodePlace, 'label' | 'caption'> => ({
    label: { x: x + NODE_RADIUS + 10, y: y - 10, originX: 0, originY: 0.5 },
    caption: { x: x + NODE_RADIUS + 10, y: y + 10, originX: 0, originY: 0.5 },
  });
  const stretch = Math.max(1, height / 592);
  const y = { client: 48, router: 168, internet: 400 * stretch, server: height - 52 };
  const router: NodePlace = { x, y: y.router, ...beside(y.router) };
  const caX = width - EDGE;
  return {
    orientation: 'portrait',
    width,
    height,
    nodes: {
      client: { x, y: y.client, ...beside(y.client) },
      router,
      // Its name rides above the wire to the CA.
      internet: {
        x,
        y: y.internet,
        label: { x: x + NODE_RADIUS + 10, y: y.internet - 12, originX: 0, originY: 1 },
        caption: { x: x + NODE_RADIUS + 10, y: y.internet - 12, originX: 0, originY: 1 },
      },
      server: { x, y: y.server, ...beside(y.server) },
      ca: {
        x: caX,
        y: y.internet,
        label: { x: caX, y: y.internet + 36, originX: 0.5, originY: 0 },
        caption: { x: caX, y: y.internet + 57, originX: 0.5, originY: 0 },
      },
    },
    mallory: { x: width - 36, y: router.y },
    heldHeading: { x: x + NODE_RADIUS + 10, y: router.y + 44, originX: 0, originY: 0.5, text: 'held ▼' },
    // Down from the tap, one per line, then a second column.
    pileSlot: (index) => ({ x: x + 52 + Math.floor(index / 6) * 130, y: router.y + 72 + (index % 6) * 24 }),
  };
}

/** The node an endpoint sits at: the attacker works from the router. */
const HOME: Record<Endpoint, NodeId> = { client: 'client', server: 'server', ca: 'ca', attacker: 'router' };

const CHAINS: Record<string, NodeId[]> = {
  'client>router': ['client', 'router'],
  'client>server': ['client', 'router', 'internet', 'server'],
  'client>ca': ['client', 'router', 'internet', 'ca'],
  'router>server': ['router', 'internet', 'server'],
  'router>ca': ['router', 'internet', 'ca'],
  'server>ca': ['server', 'internet', 'ca'],
};

/** The chain of nodes from one endpoint to another (the same in every layout). */
export function route(from: Endpoint, to: Endpoint): NodeId[] {
  const a = HOME[from];
  const b = HOME[to];
  const forward = CHAINS[`${a}>${b}`];
  if (forward) return forward;
  const backward = CHAINS[`${b}>${a}`];
  return backward ? [...backward].reverse() : [a, b];
}

/** The point a fraction `t` (0..1) of the way along a chain of nodes, and the direction of travel there. */
export function pointAlong(layout: NetworkLayout, chain: NodeId[], t: number): Point & { direction: Point } {
  const points = chain.map((id) => layout.nodes[id]);
  const segments = segmentsOf(points);
  const total = segments.reduce((sum, s) => sum + s.length, 0);
  let remaining = Math.max(0, Math.min(1, t)) * total;
  for (const [i, { from: a, to: b, length: exact }] of segments.entries()) {
    if (remaining <= exact || i === segments.length - 1) {
      const f = exact === 0 ? 0 : Math.min(1, remaining / exact);
      const length = exact || 1;
      return { x: a.x + (b.x - a.x) * f, y: a.y + (b.y - a.y) * f, direction: { x: (b.x - a.x) / length, y: (b.y - a.y) / length } };
    }
    remaining -= exact;
  }
  // A chain of one node has no wire to follow: the point stays on it (an empty chain, at the origin).
  const last = points.at(-1) ?? { x: 0, y: 0 };
  return { x: last.x, y: last.y, direction: { x: 1, y: 0 } };
}

/** The length of a chain of wires, in view units. */
export function chainLength(layout: NetworkLayout, chain: NodeId[]): number {
  return segmentLengths(chain.map((id) => layout.nodes[id])).reduce((a, b) => a + b, 0);
}

/** How far along a chain (0..1) a node sits, e.g. the tap on the way from client to server. */
export function fractionAt(layout: NetworkLayout, chain: NodeId[], node: NodeId): number {
  const lengths = segmentLengths(chain.map((id) => layout.nodes[id]));
  const total = lengths.reduce((a, b) => a + b, 0) || 1;
  const index = chain.indexOf(node);
  if (index < 0) return 0;
  return lengths.slice(0, index).reduce((a, b) => a + b, 0) / total;
}

/**
 * Each direction of travel has its own lane, 18 units to the left of the wire (above it going
 * right, right of it going down), so parcels going opposite ways do not hide each other.
 */
export function laneOffset(direction: Point): Point {
  return { x: direction.y * 18, y: -direction.x * 18 };
}

interface Segment {
  from: Point;
  to: Point;
  length: number;
}

/** The wires between consecutive points of a chain. */
function segmentsOf(points: readonly Point[]): Segment[] {
  const segments: Segment[] = [];
  let from: Point | undefined;
  for (const to of points) {
    if (from) segments.push({ from, to, length: Math.hypot(to.x - from.x, to.y - from.y) });
    from = to;
  }
  return segments;
}

function segmentLengths(points: readonly Point[]): number[] {
  return segmentsOf(points).map((s) => s.length);
}
