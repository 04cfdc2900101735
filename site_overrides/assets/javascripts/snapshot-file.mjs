// snapshot-file.mjs: reads the walkthrough worker's memory snapshot, as packed by
// generator/logic_bundle.py (pack_snapshot): gzipped, little-endian,
//
//   magic "HTFSNAP1" | u32 raw length | u32 run count | run count x (u32 offset, u32 length)
//   | the runs' bytes, in order
//
// Every byte outside the runs is zero, so a fresh (zero-filled) buffer only needs the runs. The
// decoder takes the inflated bytes as they arrive and copies each run straight into place: no
// copy of the whole inflated file is ever held.

const MAGIC = "HTFSNAP1";
const HEAD = 16;

/** Decodes the inflated bytes of a packed snapshot, chunk by chunk. */
class Unpacker {
  #head = new Uint8Array(HEAD); // the fixed header, then the run table, as they arrive
  #filled = 0;
  #runs = null; // [offset, length, ...] once the table is read
  #raw = null;
  #run = 0; // the run being filled, and how much of it is
  #done = 0;

  push(chunk) {
    let at = 0;
    while (at < chunk.length) {
      if (!this.#runs) {
        at += this.#readHead(chunk.subarray(at));
        continue;
      }
      if (this.#run >= this.#runs.length / 2) {
        throw new Error("the memory snapshot has trailing bytes");
      }
      const offset = this.#runs[this.#run * 2];
      const length = this.#runs[this.#run * 2 + 1];
      const take = Math.min(length - this.#done, chunk.length - at);
      this.#raw.set(chunk.subarray(at, at + take), offset + this.#done);
      at += take;
      this.#done += take;
      if (this.#done === length) {
        this.#run += 1;
        this.#done = 0;
      }
    }
  }

  #readHead(bytes) {
    const take = Math.min(this.#head.length - this.#filled, bytes.length);
    this.#head.set(bytes.subarray(0, take), this.#filled);
    this.#filled += take;
    if (this.#filled < this.#head.length) return take;
    const view = new DataView(this.#head.buffer);
    if (this.#head.length === HEAD) {
      const magic = new TextDecoder().decode(this.#head.subarray(0, MAGIC.length));
      if (magic !== MAGIC) throw new Error("the memory snapshot is not in the expected format");
      const table = new Uint8Array(HEAD + view.getUint32(12, true) * 8);
      table.set(this.#head);
      this.#head = table;
      this.#raw = new Uint8Array(view.getUint32(8, true));
      if (this.#filled < this.#head.length) return take;
    }
    const count = (this.#head.length - HEAD) / 8;
    const table = new DataView(this.#head.buffer);
    this.#runs = new Uint32Array(count * 2);
    for (let index = 0; index < count * 2; index++) {
      this.#runs[index] = table.getUint32(HEAD + index * 4, true);
      if (index % 2 && this.#runs[index - 1] + this.#runs[index] > this.#raw.length) {
        throw new Error("the memory snapshot is truncated or corrupt");
      }
    }
    return take;
  }

  /** The raw snapshot. Throws if the bytes stopped early. */
  finish() {
    if (!this.#runs || this.#run < this.#runs.length / 2) {
      throw new Error("the memory snapshot is truncated or corrupt");
    }
    return this.#raw;
  }
}

/** The raw snapshot, from the packed bytes (already inflated). Throws on anything malformed. */
export function unpackSnapshot(packed) {
  const unpacker = new Unpacker();
  unpacker.push(packed);
  return unpacker.finish();
}

/** Fetch, inflate and unpack the snapshot at `url`. Rejects if any step fails. */
export async function fetchSnapshot(url) {
  const unpacker = new Unpacker();
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const reader = response.body.pipeThrough(new DecompressionStream("gzip")).getReader();
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      unpacker.push(value);
    }
  } catch (error) {
    if (String(error?.message).startsWith("the memory snapshot")) throw error;
    throw new Error(`the memory snapshot could not be loaded (${error.message ?? error})`);
  }
  return unpacker.finish();
}
