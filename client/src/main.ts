/** Boots the page: one bus, one connection, the DOM app; Phaser starts with the first round. */
import './ui/styles.css';
import { bus } from './bus.ts';
import { GameConnection } from './net/GameConnection.ts';
import { App } from './ui/App.ts';

const root = document.getElementById('app')!;
const conn = new GameConnection(bus, import.meta.env.VITE_SERVER_URL ?? location.origin);

const motion = window.matchMedia('(prefers-reduced-motion: reduce)');
bus.emit('ui:reducedMotion', { reduced: motion.matches });
motion.addEventListener('change', (e) => bus.emit('ui:reducedMotion', { reduced: e.matches }));

const networkHost = document.createElement('div');
networkHost.className = 'network-canvas';
networkHost.setAttribute('role', 'img');
networkHost.setAttribute(
  'aria-label',
  'Network map: Alice’s laptop, the café Wi-Fi router where Mallory taps the wire, the internet, the bank server and the certificate authority. The packets on the wire are listed below it.',
);
let networkStarted = false;
const startNetwork = (): void => {
  if (networkStarted) return;
  networkStarted = true;
  // Phaser is the bulk of the download: fetch it when the first round is drawn.
  void import('./phaser/startNetworkView.ts').then(({ startNetworkView }) => startNetworkView(networkHost));
};

const prefillClass = new URLSearchParams(location.search).get('class') ?? undefined;
new App(root, bus, conn, networkHost, startNetwork, prefillClass);
void conn.resume();
