/**
 * Where things sit on the network view, in the scene's own 960×320 coordinates, and which
 * wires a packet follows between two endpoints. The café Wi-Fi path passes the attacker's tap;
 * the CA path does not.
 */
import type { Endpoint } from '../shared.ts';

export const VIEW_WIDTH = 960;
export const VIEW_HEIGHT = 320;

export type NodeId = 'client' | 'router' | 'internet' | 'server' | 'ca';

export interface Point {
  x: number;
  y: number;
}

export const NODES: Record<NodeId, Point & { label: string; caption: string }> = {
  client: { x: 90, y: 215, label: "Alice's laptop", caption: 'client' },
  router: { x: 305, y: 215, label: 'Café Wi-Fi', caption: "attacker's tap" },
  internet: { x: 550, y: 215, label: 'Internet', caption: '' },
  server: { x: 850, y: 215, label: 'bank.example', caption: 'server' },
  ca: { x: 550, y: 70, label: 'Heist Root CA', caption: 'certificate authority' },
};

/** The wires drawn between nodes. */
export const WIRES: [NodeId, NodeId][] = [
  ['client', 'router'],
  ['router', 'internet'],
  ['internet', 'server'],
  ['internet', 'ca'],
];

/** The node an endpoint sits at: the attacker works from the router. */
const HOME: Record<Endpoint, NodeId> = { client: 'client', server: 'server', ca: 'ca', attacker: 'router' };

/** The chain of nodes from one endpoint to another. */
export function route(from: Endpoint, to: Endpoint): NodeId[] {
  const order = (a: NodeId, b: NodeId): NodeId[] => {
    const chain: Record<string, NodeId[]> = {
      'client>router': ['client', 'router'],
      'client>server': ['client', 'router', 'internet', 'server'],
      'client>ca': ['client', 'router', 'internet', 'ca'],
      'router>server': ['router', 'internet', 'server'],
      'router>ca': ['router', 'internet', 'ca'],
      'server>ca': ['server', 'internet', 'ca'],
    };
    const forward = chain[`${a}>${b}`];
    if (forward) return forward;
    const backward = chain[`${b}>${a}`];
    return backward ? [...backward].reverse() : [a, b];
  };
  return order(HOME[from], HOME[to]);
}

/** The point a fraction `t` (0..1) of the way along a chain of nodes. */
export function pointAlong(chain: NodeId[], t: number): Point {
  const points = chain.map((id) => NODES[id]);
  if (points.length === 1) return { x: points[0].x, y: points[0].y };
  const lengths = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  const total = lengths.reduce((a, b) => a + b, 0);
  let remaining = Math.max(0, Math.min(1, t)) * total;
  for (let i = 0; i < lengths.length; i++) {
    if (remaining <= lengths[i] || i === lengths.length - 1) {
      const f = lengths[i] === 0 ? 0 : Math.min(1, remaining / lengths[i]);
      return { x: points[i].x + (points[i + 1].x - points[i].x) * f, y: points[i].y + (points[i + 1].y - points[i].y) * f };
    }
    remaining -= lengths[i];
  }
  return points[points.length - 1];
}

/** Held parcels pile up above the tap, one per line (labels to their right), two columns. */
export function pileSlot(index: number): Point {
  const router = NODES.router;
  const column = Math.floor(index / 5);
  return { x: router.x - 40 + column * 150, y: router.y - 62 - (index % 5) * 26 };
}

/** How far along a chain (0..1) a node sits, e.g. the tap on the way from client to server. */
export function fractionAt(chain: NodeId[], node: NodeId): number {
  const points = chain.map((id) => NODES[id]);
  const lengths = points.slice(1).map((p, i) => Math.hypot(p.x - points[i].x, p.y - points[i].y));
  const total = lengths.reduce((a, b) => a + b, 0) || 1;
  const index = chain.indexOf(node);
  if (index < 0) return 0;
  return lengths.slice(0, index).reduce((a, b) => a + b, 0) / total;
}
