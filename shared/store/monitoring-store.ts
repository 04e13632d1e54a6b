import { TransactWriteItemsCommand, type DynamoDBClient, type TransactWriteItem } from '@aws-sdk/client-dynamodb';
import type { CareTask } from '../domain/tasks';
import type { Breach, Observation } from '../domain/monitoring';
import { queryByPrefix, toItem } from './dynamo';
import { keys, stripStorage } from './keys';
import type { TaskStore } from './task-store';

export interface Alert {
  alertId: string;
  encounterId: string;
  observationId: string;
  breach: Breach;
  raisedAt: string;
  taskId: string;
}

/** Observations by code and time, and alerts, under their encounter. */
export function monitoringStore(client: DynamoDBClient, tableName: string, tasks: TaskStore) {
  /** The observation, its alerts and their review tasks: all or nothing. */
  async function record(observation: Observation, alerts: Alert[], reviewTasks: CareTask[]): Promise<void> {
    const items: TransactWriteItem[] = [
      {
        Put: {
          TableName: tableName,
          Item: toItem({
            ...keys.observation(observation.encounterId, observation.code, observation.observedAt, observation.observationId),
            entityType: 'Observation',
            ...observation,
          }),
          ConditionExpression: 'attribute_not_exists(pk)',
        },
      },
      ...alerts.map((alert) => ({
        Put: {
          TableName: tableName,
          Item: toItem({ ...keys.alert(alert.encounterId, alert.raisedAt, alert.alertId), entityType: 'Alert', ...alert }),
        },
      })),
      ...reviewTasks.map((task) => ({ Put: tasks.openOnceWrite(task) })),
    ];
    await client.send(new TransactWriteItemsCommand({ TransactItems: items }));
  }

  /** One code's trend in time order, or (no code) every observation of the stay, grouped by code. */
  async function observations(encounterId: string, code?: string): Promise<Observation[]> {
    return list<Observation>(encounterId, code ? `OBS#${code}#` : 'OBS#');
  }

  async function alerts(encounterId: string): Promise<Alert[]> {
    return list<Alert>(encounterId, 'ALERT#');
  }

  async function list<T>(encounterId: string, prefix: string): Promise<T[]> {
    return (await queryByPrefix<Record<string, unknown>>(client, tableName, keys.encounter(encounterId).pk, prefix)).map((item) =>
      stripStorage<T>(item),
    );
  }

  return { record, observations, alerts };
}
