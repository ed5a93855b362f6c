/** Starts Phaser inside the given element; the scenes talk to the rest only through the bus. */
import Phaser from 'phaser';
import { VIEW_HEIGHT, VIEW_WIDTH } from './layout.ts';
import { BootScene } from './scenes/BootScene.ts';
import { NetworkScene } from './scenes/NetworkScene.ts';

export function startNetworkView(parent: HTMLElement): Phaser.Game {
  return new Phaser.Game({
    type: Phaser.AUTO,
    parent,
    backgroundColor: '#0f1b2d',
    scale: {
      mode: Phaser.Scale.FIT,
      autoCenter: Phaser.Scale.CENTER_HORIZONTALLY,
      width: VIEW_WIDTH,
      height: VIEW_HEIGHT,
    },
    banner: false,
    scene: [BootScene, NetworkScene],
  });
}
