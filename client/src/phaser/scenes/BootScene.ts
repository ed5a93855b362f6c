/**
 * Draws the parcel and node textures once, from code (no image files to load), then hands
 * over to the network view.
 */
import Phaser from 'phaser';

export const PARCEL_SIZE = { width: 28, height: 20 };

export class BootScene extends Phaser.Scene {
  constructor() {
    super('Boot');
  }

  create(): void {
    const g = this.add.graphics();
    const { width: w, height: h } = PARCEL_SIZE;

    // Postcard: readable by anyone on the path: lines of writing and a stamp.
    g.clear();
    g.fillStyle(0xfff4d6).fillRect(0, 0, w, h);
    g.lineStyle(1, 0x6b5b3e).strokeRect(0.5, 0.5, w - 1, h - 1);
    g.lineStyle(1, 0x6b5b3e);
    for (const y of [6, 10, 14]) g.lineBetween(3, y, 16, y);
    g.fillStyle(0xd9534f).fillRect(w - 9, 3, 6, 7);
    g.generateTexture('parcel-postcard', w, h);

    // Locked box: encrypted, only the key holder opens it.
    g.clear();
    g.fillStyle(0x8d6e4a).fillRoundedRect(0, 4, w, h - 4, 3);
    g.lineStyle(1, 0x3e2c17).strokeRoundedRect(0.5, 4.5, w - 1, h - 5, 3);
    g.lineStyle(2, 0xe8c547).strokeCircle(w / 2, 7, 4);
    g.fillStyle(0xe8c547).fillRect(w / 2 - 5, 8, 10, 8);
    g.fillStyle(0x3e2c17).fillRect(w / 2 - 1, 11, 2, 3);
    g.generateTexture('parcel-lockedBox', w, h);

    // Signed: readable by anyone, but a change breaks the signature (drawn as a wax mark).
    g.clear();
    g.fillStyle(0xf2f2f2).fillRect(0, 0, w, h);
    g.lineStyle(1, 0x555555).strokeRect(0.5, 0.5, w - 1, h - 1);
    g.lineBetween(0, 0, w / 2, h / 2).lineBetween(w, 0, w / 2, h / 2);
    g.fillStyle(0xb0182a).fillCircle(w / 2, h / 2 + 2, 6);
    g.fillStyle(0xf5c6cb).fillCircle(w / 2, h / 2 + 2, 2);
    g.generateTexture('parcel-signed', w, h);

    g.destroy();
    this.scene.start('Network');
  }
}
