// What adopt writes, said the same way by the preview's note and the up's log line. Adopt writes
// nothing on the host and no label, taint or cordon; its one write is the owner and host annotations
// on the Node, because the scale-in report knows this stack's Nodes only by them: the owner finds the
// node when its entry goes, the host shows when the entry names another host (a replacement).

/** `annotations` as written, with the reason; for a non-empty set (adopt without an owner writes nothing). */
export function adoptionWrites(annotations: Readonly<Record<string, string>>): string {
  const written = Object.entries(annotations).map(([key, value]) => `${key}=${value}`);
  return `the only write is the Node's annotations ${written.join(" and ")}, by which the scale-in report finds the node when its entry goes or its host changes`;
}
