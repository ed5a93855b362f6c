/**
 * Holds a part of the page still while someone is pressing in it. The screens are redrawn from
 * each view the server sends, and a button redrawn between press and release is a new button:
 * the browser then sends the click to neither, and the student's press is lost (an attacker's
 * "Intercept" pressed as a packet reached her tap did nothing). While a pointer, or Space on a
 * button, is down inside the element, a redraw waits — the latest one only — until just after
 * the release, when the click has been handled. Never longer than `maxHoldMs`: a press that
 * lasts (a finger resting on a touch screen) must not freeze the round on screen.
 */
export class PressHold {
  private pressed = false;
  private pending: (() => void) | undefined;
  private limit: ReturnType<typeof setTimeout> | undefined;

  constructor(
    el: HTMLElement,
    private readonly maxHoldMs = 2_000,
  ) {
    const press = () => this.press();
    const release = () => this.release();
    const isSpace = (e: KeyboardEvent) => e.key === ' ';
    listen(el, 'pointerdown', press);
    listen(el, 'keydown', (e) => isSpace(e) && e.target instanceof HTMLButtonElement && press());
    // Released anywhere: the pointer may have left the element while down.
    for (const type of ['pointerup', 'pointercancel'] as const) listen(window, type, release);
    listen(window, 'keyup', (e) => isSpace(e) && release());
    // The window itself losing focus (another app), not an element of the page (focus moving on).
    listen(window, 'blur', (e) => e.target === window && release());
  }

  /** True while a press is under way: `redraw` then runs after the release (replacing one kept before). */
  defer(redraw: () => void): boolean {
    if (!this.pressed) return false;
    this.pending = redraw;
    return true;
  }

  private press(): void {
    this.pressed = true;
    clearTimeout(this.limit);
    this.limit = setTimeout(() => this.release(), this.maxHoldMs);
  }

  private release(): void {
    if (!this.pressed) return;
    this.pressed = false;
    clearTimeout(this.limit);
    // After the click the release makes (dispatched in this same task).
    setTimeout(() => {
      if (this.pressed) return; // pressed again already: the redraw waits for that release
      const redraw = this.pending;
      this.pending = undefined;
      redraw?.();
    }, 0);
  }
}

/** Listened to for the page's lifetime (the App, which holds the one PressHold, is never torn down). */
function listen<K extends keyof WindowEventMap>(target: HTMLElement | Window, type: K, fn: (e: WindowEventMap[K]) => void): void {
  // Capture: seen before any handler of the page can stop it.
  target.addEventListener(type, fn as EventListener, true);
}
