// snapshot-file.mjs: reads the walkthrough worker's memory snapshot, as packed by
// generator/logic_bundle.py (pack_snapshot): gzipped, little-endian,
//
//   magic "HTFSNAP1" | u32 raw length | u32 run count | run count x (u32 offset, u32 length)
//   | the runs' bytes, in order
//
// Every byte outside the runs is zero, so a fresh (zero-filled) buffer only needs the runs.

const MAGIC = "HTFSNAP1";

/** The raw snapshot, from the packed bytes (already inflated). Throws on anything malformed. */
export function unpackSnapshot(packed) {
  const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
  const magic = new TextDecoder().decode(packed.subarray(0, MAGIC.length));
  if (magic !== MAGIC) throw new Error("the memory snapshot is not in the expected format");
  const rawLength = view.getUint32(8, true);
  const runCount = view.getUint32(12, true);
  const raw = new Uint8Array(rawLength);
  let from = 16 + runCount * 8;
  for (let run = 0; run < runCount; run++) {
    const offset = view.getUint32(16 + run * 8, true);
    const length = view.getUint32(20 + run * 8, true);
    if (offset + length > rawLength || from + length > packed.length) {
      throw new Error("the memory snapshot is truncated or corrupt");
    }
    raw.set(packed.subarray(from, from + length), offset);
    from += length;
  }
  if (from !== packed.length) throw new Error("the memory snapshot has trailing bytes");
  return raw;
}

/** Fetch, inflate and unpack the snapshot at `url`. Rejects if any step fails. */
export async function fetchSnapshot(url) {
  let packed;
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    const inflated = response.body.pipeThrough(new DecompressionStream("gzip"));
    packed = new Uint8Array(await new Response(inflated).arrayBuffer());
  } catch (error) {
    throw new Error(`the memory snapshot could not be loaded (${error.message ?? error})`);
  }
  return unpackSnapshot(packed);
}
