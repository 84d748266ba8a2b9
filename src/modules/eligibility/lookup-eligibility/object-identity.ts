// Kept answer parts (answer-parts.ts) name the catalogue snapshot and offers they were built from.
const ids = new WeakMap<object, number>();
let nextId = 0;

/** A number naming an object in keys (a catalogue snapshot, an offer), stable while it lives. */
export function identityOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ++nextId;
    ids.set(value, id);
  }
  return id;
}
