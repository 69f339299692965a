/**
 * A first-in first-out list with O(1) amortized push and shift. Array.prototype.shift moves every
 * remaining element, which makes draining n items O(n²); here a head index advances instead, and the
 * consumed prefix is dropped only once it is at least half the array, so each element is copied at most
 * once per compaction and the total copying stays O(n).
 */
export class Fifo<T> {
  private items: Array<T | undefined> = [];
  private head = 0;
  /** Elements copied by compactions so far (a measure of the work done, for tests and benchmarks). */
  copied = 0;

  get length(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
  }

  /** Removes and returns the oldest item; undefined when empty. */
  shift(): T | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined; // let the item be collected before the next compaction
    this.head++;
    if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.items.length) {
      this.copied += this.items.length - this.head;
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  clear(): void {
    this.items = [];
    this.head = 0;
  }
}
