/** Pairwise precision and recall: of the pairs put together, how many belong together, and vice versa. */
export function pairwise(
  found: number[][],
  labels: string[],
): { precision: number; recall: number; f1: number } {
  const clusterOf = new Map<number, number>();
  found.forEach((m, c) => {
    for (const i of m) clusterOf.set(i, c);
  });
  let tp = 0;
  let fp = 0;
  let fn = 0;
  for (let i = 0; i < labels.length; i++)
    for (let j = i + 1; j < labels.length; j++) {
      const same = labels[i] === labels[j];
      const together = clusterOf.get(i) === clusterOf.get(j);
      if (same && together) tp++;
      else if (together) fp++;
      else if (same) fn++;
    }
  const precision = tp / (tp + fp || 1);
  const recall = tp / (tp + fn || 1);
  return { precision, recall, f1: (2 * precision * recall) / (precision + recall || 1) };
}
