/** Starts Phaser inside the given element; the scenes talk to the rest only through the bus. */
import Phaser from 'phaser';
import { BootScene } from './scenes/BootScene.ts';
import { NetworkScene } from './scenes/NetworkScene.ts';

export function startNetworkView(parent: HTMLElement): Phaser.Game {
  return new Phaser.Game({
    type: Phaser.AUTO,
    parent,
    backgroundColor: '#0f1b2d',
    // FIT keeps the canvas inside its parent and reports the parent's size as it changes; the
    // network scene then sets the game size to the parent's (times the pixel density) and lays
    // the map out for it, so nothing is scaled down.
    scale: {
      mode: Phaser.Scale.FIT,
      autoCenter: Phaser.Scale.CENTER_HORIZONTALLY,
      width: 960,
      height: 320,
    },
    // Parcels glide as smoothly at 30 frames a second, for half the work on a school Chromebook.
    fps: { limit: 30 },
    banner: false,
    scene: [BootScene, NetworkScene],
  });
}
