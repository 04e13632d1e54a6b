import { Metrics, MetricUnit } from '@aws-lambda-powertools/metrics';

/**
 * Business metrics, as CloudWatch embedded-metric-format lines in the function's log (no API call,
 * no extra latency). Dimensions are codes only, never anything about a patient. Workflow
 * completions and failures need none of ours: Step Functions publishes them (AWS/States).
 */
export const metrics = new Metrics({ namespace: 'Carepath', serviceName: 'carepath' });

/** One count with its own dimensions, written at once (handlers need no flush middleware). */
export function count(
  name:
    | 'AdtMessages'
    | 'WorkflowsStarted'
    | 'TasksOverdue'
    | 'ExecutionsStoppedByCarepath'
    | 'ExecutionsOverAgeLimit'
    | 'StaysWithoutRunningWorkflow',
  dimensions: Record<string, string>,
  value = 1,
): void {
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, MetricUnit.Count, value);
}

/** One measurement in seconds (an age), written at once. */
export function seconds(name: 'OldestRunningExecutionAge', dimensions: Record<string, string>, value: number): void {
  const single = metrics.singleMetric();
  for (const [key, dimension] of Object.entries(dimensions)) single.addDimension(key, dimension);
  single.addMetric(name, MetricUnit.Seconds, value);
}
