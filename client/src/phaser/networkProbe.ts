/**
 * For browser tests: under automation only (navigator.webdriver), `window.__heistNetwork()`
 * reports what is drawn where, in CSS pixels, so a test can check text sizes and click a parcel
 * as a player would.
 */
import type Phaser from 'phaser';
import type { ParcelView } from '../shared.ts';
import type { NetworkLayout } from './layout.ts';

/** What a browser test reads of the drawn map (see `exposeProbe`): sizes in CSS pixels. */
export interface NetworkProbe {
  orientation: NetworkLayout['orientation'];
  canvas: { left: number; top: number; width: number; height: number; pixelWidth: number };
  /** Every visible text: the map's own, and the labels of parcels held at the tap or on the wire. */
  texts: { kind: 'map' | 'held' | 'wire'; text: string; fontPx: number; left: number; top: number; right: number; bottom: number }[];
  parcels: { id: number; status: ParcelView['status']; x: number; y: number }[];
}

/** What the scene has drawn, in its own units. */
export interface DrawnMap {
  canvas: HTMLCanvasElement;
  /** The game's width in canvas pixels. */
  gameWidth: number;
  /** Canvas pixels per view unit. */
  zoom: number;
  orientation: NetworkLayout['orientation'];
  /** The map's own texts. */
  texts: Phaser.GameObjects.Text[];
  /** The parcels drawn, by id. */
  parcels: ReadonlyMap<number, { status: ParcelView['status']; label: Phaser.GameObjects.Text; container: Phaser.GameObjects.Container }>;
}

export function exposeProbe(probe: () => NetworkProbe): void {
  if (!navigator.webdriver) return;
  (window as unknown as { __heistNetwork?: () => NetworkProbe }).__heistNetwork = probe;
}

/** The drawn map in CSS pixels. */
export function measureMap(map: DrawnMap): NetworkProbe {
  const rect = map.canvas.getBoundingClientRect();
  const unit = (map.zoom * rect.width) / map.gameWidth; // CSS px per view unit
  const shown = (o: Phaser.GameObjects.Text): boolean => o.visible && (!o.parentContainer || o.parentContainer.visible);
  const labelled = [
    ...map.texts.map((text) => ({ kind: 'map' as const, text })),
    ...[...map.parcels.values()].map((s) => ({ kind: s.status === 'held' ? ('held' as const) : ('wire' as const), text: s.label })),
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
  const parcels = [...map.parcels.entries()].map(([id, s]) => ({ id, status: s.status, x: rect.left + s.container.x * unit, y: rect.top + s.container.y * unit }));
  return {
    orientation: map.orientation,
    canvas: { left: rect.left, top: rect.top, width: rect.width, height: rect.height, pixelWidth: map.canvas.width },
    texts,
    parcels,
  };
}
