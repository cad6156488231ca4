/**
 * Progress lines carry the node's name first (`web-2: evicted 12/40 pods`): dynamic providers log
 * under the stack, not the resource, so the prefix is what tells the nodes apart.
 */
export function nodeLog(sink: { log(line: string): void }, node: string): (line: string) => void {
  return (line) => sink.log(`${node}: ${line}`);
}
