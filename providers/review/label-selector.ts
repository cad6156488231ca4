// metav1.LabelSelector matching (k8s.io/apimachinery/pkg/labels), for telling which
// PodDisruptionBudgets cover a pod. An empty selector selects everything, as policy/v1 PDBs do.

export interface LabelSelectorRequirement {
  readonly key: string;
  readonly operator: "In" | "NotIn" | "Exists" | "DoesNotExist";
  readonly values?: readonly string[];
}

export interface LabelSelector {
  readonly matchLabels?: Readonly<Record<string, string>>;
  readonly matchExpressions?: readonly LabelSelectorRequirement[];
}

function matchesRequirement(requirement: LabelSelectorRequirement, labels: Readonly<Record<string, string>>): boolean {
  const has = Object.prototype.hasOwnProperty.call(labels, requirement.key);
  const values = requirement.values ?? [];
  switch (requirement.operator) {
    case "In":
      return has && values.includes(labels[requirement.key]);
    case "NotIn":
      return !has || !values.includes(labels[requirement.key]);
    case "Exists":
      return has;
    case "DoesNotExist":
      return !has;
    default:
      // An operator this code does not know selects nothing: better to under-report a PDB than to
      // claim one covers a pod it may not.
      return false;
  }
}

export function selects(selector: LabelSelector, labels: Readonly<Record<string, string>>): boolean {
  const exact = Object.entries(selector.matchLabels ?? {}).every(([key, value]) => labels[key] === value);
  return exact && (selector.matchExpressions ?? []).every((requirement) => matchesRequirement(requirement, labels));
}
