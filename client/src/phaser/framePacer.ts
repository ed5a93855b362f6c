/**
 * Frames a second while a parcel travels, and while none does: a still map drawn 30 times a
 * second cost a quarter of a core per open page (a school Chromebook, a class of browsers on
 * one laptop), and 4 a second still an eighth. A new view is drawn at once (the scene asks for
 * the next frame); a still map is redrawn once a second (a resize shows within it).
 *
 * A still map also waits on a timer, not on animation frames: a page that asks for every
 * animation frame is composited at the display's rate whether or not it draws (0.35 of a core
 * per page in a software-rendered Chromium, 0.08 with the timer).
 */
import type Phaser from 'phaser';

const MOVING_FPS = 30;
const STILL_FPS = 1;

export class FramePacer {
  /** The pace asked for in this turn of the event loop (applied after it, see `want`). */
  private paceWanted: boolean | undefined;

  /** The game's loop (asked each time: a scene has its game only once it starts). */
  constructor(private readonly loop: () => Phaser.Core.TimeStep) {}

  /** Full frame rate while something moves; the change takes effect after this turn of the event loop. */

  want(moving: boolean): void {
    const alreadyScheduled = this.paceWanted !== undefined;
    this.paceWanted = moving;
    // Not from inside a frame (update runs in one): Phaser's frame callback asks for the next
    // animation frame after it returns, so a loop restarted in it would run twice, and on.
    if (!alreadyScheduled) queueMicrotask(() => this.apply());
  }

  private apply(): void {
    const moving = this.paceWanted;
    this.paceWanted = undefined;
    if (moving === undefined) return;
    const loop = this.loop() as Phaser.Core.TimeStep & { forceSetTimeOut: boolean };
    const fps = moving ? MOVING_FPS : STILL_FPS;
    if (loop.fpsLimit === fps && loop.forceSetTimeOut === !moving) return;
    // Phaser's typings call it read-only; setFPSLimit restarts the loop on whichever it says.
    loop.forceSetTimeOut = !moving;
    loop.setFPSLimit(fps);
  }
}
