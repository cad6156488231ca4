// metav1.LabelSelector matching, for naming the PodDisruptionBudgets that select a pod.
export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

/**
 * True when the labels satisfy the selector. An empty selector selects everything (policy/v1 PDB
 * semantics); an absent one (undefined) selects nothing.
 */
export function selects(selector: LabelSelector | undefined, labels: Readonly<Record<string, string>>): boolean {
  if (!selector) return false;
  for (const [key, value] of Object.entries(selector.matchLabels ?? {})) if (labels[key] !== value) return false;
  for (const requirement of selector.matchExpressions ?? []) {
    const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
    const value = labels[requirement.key];
    const values = requirement.values ?? [];
    const ok =
      requirement.operator === "In" ? has && values.includes(value)
      : requirement.operator === "NotIn" ? !has || !values.includes(value)
      : requirement.operator === "Exists" ? has
      : !has;
    if (!ok) return false;
  }
  return true;
}
