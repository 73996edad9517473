/**
 * A map that drops its least recently used entries beyond `capacity` entries, or beyond
 * `maxWeight` when a `weigh` function gives each entry a weight (such as its text length).
 */
export class LruCache<K, V> {
  private readonly entries = new Map<K, V>();
  private readonly weights = new Map<K, number>();
  private totalWeight = 0;

  constructor(
    private readonly capacity: number,
    private readonly limits: { maxWeight: number; weigh: (key: K, value: V) => number } | undefined = undefined,
  ) {}

  get(key: K): V | undefined {
    const value = this.entries.get(key);
    if (value === undefined) return undefined;
    this.entries.delete(key);
    this.entries.set(key, value);
    return value;
  }

  set(key: K, value: V): void {
    this.delete(key);
    this.entries.set(key, value);
    if (this.limits) {
      const weight = this.limits.weigh(key, value);
      this.weights.set(key, weight);
      this.totalWeight += weight;
    }
    while (this.entries.size > this.capacity || (this.limits && this.totalWeight > this.limits.maxWeight && this.entries.size > 1)) {
      this.delete(this.entries.keys().next().value as K);
    }
  }

  delete(key: K): void {
    this.entries.delete(key);
    const weight = this.weights.get(key);
    if (weight === undefined) return;
    this.weights.delete(key);
    this.totalWeight -= weight;
  }

  clear(): void {
    this.entries.clear();
    this.weights.clear();
    this.totalWeight = 0;
  }

  get size(): number {
    return this.entries.size;
  }

  /** The sum of the entries' weights; 0 without a `weigh` function. */
  get weight(): number {
    return this.totalWeight;
  }
}
