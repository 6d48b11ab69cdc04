/** Latency samples and their percentiles (nearest rank over all samples, no binning). */
export class Samples {
  private data: Float64Array;
  private n = 0;

  constructor(capacity = 1024) {
    this.data = new Float64Array(capacity);
  }

  get count(): number {
    return this.n;
  }

  add(v: number): void {
    if (this.n === this.data.length) {
      const grown = new Float64Array(this.data.length * 2);
      grown.set(this.data);
      this.data = grown;
    }
    this.data[this.n++] = v;
  }

  /** Percentiles `ps` (0–100) of the samples; NaN when there are none. */
  percentiles(...ps: number[]): number[] {
    if (this.n === 0) return ps.map(() => NaN);
    const sorted = this.data.slice(0, this.n).sort();
    return ps.map(
      (p) => sorted[Math.min(this.n - 1, Math.max(0, Math.ceil((p / 100) * this.n) - 1))]!,
    );
  }
}

export function median(values: number[]): number {
  const v = values.filter((x) => Number.isFinite(x)).sort((a, b) => a - b);
  if (v.length === 0) return NaN;
  const mid = v.length >> 1;
  return v.length % 2 ? v[mid]! : (v[mid - 1]! + v[mid]!) / 2;
}
