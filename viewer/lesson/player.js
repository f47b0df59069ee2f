// The epoch player: one step every STEP_MS on animation frames, so a hidden tab does not play on unseen.

export const STEP_MS = 700; // eleven snapshots: about 8 s from the first epoch to the last

export class EpochPlayer {
  /**
   * @param {() => boolean} step   shows the next epoch; false when there was none (the player stops)
   * @param {(playing: boolean) => void} changed   told when the player starts or stops
   */
  constructor(step, changed) {
    this.step = step;
    this.changed = changed;
    this.frame = 0; // the pending animation frame while playing, else 0
  }

  get playing() {
    return this.frame !== 0;
  }

  start() {
    if (this.playing) return;
    let previous = performance.now();
    const tick = (/** @type {number} */ now) => {
      if (now - previous >= STEP_MS) {
        previous = now;
        if (!this.step()) {
          this.stop();
          return;
        }
      }
      this.frame = requestAnimationFrame(tick);
    };
    this.frame = requestAnimationFrame(tick);
    this.changed(true);
  }

  stop() {
    if (!this.playing) return;
    cancelAnimationFrame(this.frame);
    this.frame = 0;
    this.changed(false);
  }
}
