import type { LabelSelector } from "./label-selector";
import type { PdbStatus } from "./progress";

/** A PodDisruptionBudget as the drain decides on it: which pods it selects and what it allows now. */
export interface PdbBudget extends PdbStatus {
  readonly selector: LabelSelector | undefined;
}
