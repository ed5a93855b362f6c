/**
 * Where a parcel on the wire is drawn, with its label on the side away from the wire, so that
 * parcels neither hide the nodes nor each other. One sent with another (a ServerHello and its
 * Certificate) queues behind it until neither hides the other. In view units (layout.ts).
 */
import type { ParcelView } from '../shared.ts';
import { chainLength, laneOffset, pointAlong, route, type NetworkLayout, type Point } from './layout.ts';

/** The space a drawn thing takes. */
export interface Box {
  left: number;
  top: number;
  right: number;
  bottom: number;
}

/** Its label's size, as drawn. */
export interface LabelSize {
  width: number;
  height: number;
}

export interface WireSpot {
  spot: Point;
  labelAt: 'above' | 'below';
  box: Box;
}

/** How far (view units) a queued parcel steps back at a time until it is clear of the one ahead. */
const QUEUE_STEP = 8;
/** Half a parcel's icon (28×20 drawn at 1.25×). */
const ICON_HALF = { x: 17.5, y: 12.5 };

/**
 * `travelled`: game milliseconds since this browser first saw the parcel; `taken`: the boxes of
 * the parcels already placed this frame.
 */
export function placeOnWire(layout: NetworkLayout, parcel: ParcelView, travelled: number, label: LabelSize, reducedMotion: boolean, taken: Box[]): WireSpot {
  const chain = route(parcel.from, parcel.to);
  const span = Math.max(1, parcel.arriveAt - parcel.sentAt);
  const step = QUEUE_STEP / Math.max(1, chainLength(layout, chain));
  // Short of the goal until the server says it arrived; reduced motion: no travel, the parcel
  // jumps onto the middle of its wire.
  let t = reducedMotion ? 0.5 : Math.min(0.95, travelled / span);
  for (let tries = 0; tries < 30; tries++) {
    const at = pointAlong(layout, chain, t);
    // Each direction has its lane beside the wire, so parcels do not hide the nodes or each other.
    const lane = laneOffset(at.direction);
    const spot = { x: at.x + lane.x, y: at.y + lane.y };
    const labelAt = lane.y > 1 ? 'below' : 'above';
    const box = parcelBox(spot, label, labelAt);
    if (!taken.some((b) => overlaps(b, box))) return { spot, labelAt, box };
    if (t <= 0) break;
    t = Math.max(0, t - step);
  }
  // Just sent, with no room left behind it on the wire: stack it beside its lane, one lane further out each time.
  const at = pointAlong(layout, chain, t);
  const lane = laneOffset(at.direction);
  let placed: WireSpot | undefined;
  for (let k = 1; k <= 4; k++) {
    const spot = { x: at.x + lane.x * (1 + 2 * k), y: at.y + lane.y * (1 + 2 * k) };
    const labelAt = lane.y > 1 ? 'below' : 'above';
    placed = { spot, labelAt, box: parcelBox(spot, label, labelAt) };
    if (!taken.some((b) => overlaps(b, placed!.box))) break;
  }
  return placed!;
}

/** The space a parcel on the wire takes: its icon and its label. */
function parcelBox(spot: Point, label: LabelSize, at: 'above' | 'below'): Box {
  const half = Math.max(ICON_HALF.x, label.width / 2);
  const top = at === 'above' ? spot.y - 13 - label.height : spot.y - ICON_HALF.y;
  const bottom = at === 'above' ? spot.y + ICON_HALF.y : spot.y + 13 + label.height;
  return { left: spot.x - half, top, right: spot.x + half, bottom };
}

function overlaps(a: Box, b: Box): boolean {
  return a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom;
}
