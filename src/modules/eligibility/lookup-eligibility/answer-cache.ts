// Keys of the answer cache (lookup-eligibility.routes.ts) name the catalogue snapshot they were built from.
const ids = new WeakMap<object, number>();
let nextId = 0;

/** A number naming an object for cache keys (a catalogue snapshot), stable while it lives. */
export function identityOf(value: object): number {
  let id = ids.get(value);
  if (id === undefined) {
    id = ++nextId;
    ids.set(value, id);
  }
  return id;
}
