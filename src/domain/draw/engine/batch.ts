// Many short messages laid end to end for the batch hashes of batchHash.ts (sha256Each, hmacSha256Each).

/** Messages written one after another, message i at bytes[offsets[i]..offsets[i+1]); grows as needed. */
export class MessageBatch {
  bytes = new Uint8Array(1 << 20);
  /** message i is bytes[offsets[i]..offsets[i+1]) */
  readonly offsets: Uint32Array;
  count = 0;

  constructor(readonly capacity: number) {
    this.offsets = new Uint32Array(capacity + 1);
  }

  get end(): number {
    return this.offsets[this.count]!;
  }

  /** The bytes, with room for `room` more after the last message. */
  room(room: number): Uint8Array {
    const need = this.end + room;
    if (need > this.bytes.length) {
      const grown = new Uint8Array(Math.max(need, 2 * this.bytes.length));
      grown.set(this.bytes.subarray(0, this.end));
      this.bytes = grown;
    }
    return this.bytes;
  }

  /** Ends the current message at `end`. */
  push(end: number): void {
    this.offsets[++this.count] = end;
  }

  clear(): void {
    this.count = 0;
  }
}
