/**
 * The ring of an incoming call: two short tones every two seconds (Web Audio) and a buzz on
 * phones. Browsers may refuse sound before the user touched the page; the call box's ring
 * animation shows it regardless.
 */
export class Ringer {
  private audio: AudioContext | undefined;
  private timer: ReturnType<typeof setInterval> | undefined;

  start(): void {
    this.stop();
    const ring = () => {
      this.tone();
      navigator.vibrate?.([300, 200, 300]);
    };
    ring();
    this.timer = setInterval(ring, 2000);
  }

  stop(): void {
    clearInterval(this.timer);
    this.timer = undefined;
    navigator.vibrate?.(0);
  }

  private tone(): void {
    try {
      this.audio ??= new AudioContext();
      const t = this.audio.currentTime;
      for (const start of [0, 0.45]) {
        const osc = this.audio.createOscillator();
        const gain = this.audio.createGain();
        osc.frequency.value = 440;
        gain.gain.setValueAtTime(0.08, t + start);
        gain.gain.setTargetAtTime(0, t + start + 0.3, 0.03);
        osc.connect(gain).connect(this.audio.destination);
        osc.start(t + start);
        osc.stop(t + start + 0.4);
      }
    } catch {
      // No sound available: the animation still rings.
    }
  }
}
