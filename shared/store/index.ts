import { env } from '../env';
import { dynamoClient } from './clients';
import { allergyStore } from './allergy-store';
import { auditStore } from './audit-store';
import { carePlanStore } from './care-plan-store';
import { careTeamStore } from './care-team-store';
import { educationStore } from './education-store';
import { encounterStore } from './encounter-store';
import { monitoringStore } from './monitoring-store';
import { orderStore } from './order-store';
import { transitionRecordStore } from './transition-record-store';
import { referralStore } from './referral-store';
import { transferStore } from './transfer-store';
import { scheduleStore } from './schedule-store';
import { grievanceStore } from './grievance-store';
import { satisfactionStore } from './satisfaction-store';
import { caseloadStore } from './caseload-store';
import { metricsStore } from './metrics-store';
import { patientStore } from './patient-store';
import { taskStore } from './task-store';

export type Stores = ReturnType<typeof buildStores>;

function buildStores() {
  const client = dynamoClient();
  const table = env().TABLE_NAME;
  const tasks = taskStore(client, table);
  return {
    encounters: encounterStore(client, table),
    patients: patientStore(client, table),
    tasks,
    monitoring: monitoringStore(client, table, tasks),
    education: educationStore(client, table),
    careTeam: careTeamStore(client, table),
    carePlans: carePlanStore(client, table),
    audit: auditStore(client, table),
    orders: orderStore(client, table),
    allergies: allergyStore(client, table),
    transitionRecords: transitionRecordStore(client, table),
    referrals: referralStore(client, table),
    transfers: transferStore(client, table),
    schedule: scheduleStore(client, table),
    grievances: grievanceStore(client, table),
    satisfaction: satisfactionStore(client, table),
    caseloads: caseloadStore(client, table),
    metrics: metricsStore(client, table),
  };
}

let cached: Stores | undefined;

/** Repositories over the one table, built once per cold start. */
export function stores(): Stores {
  cached ??= buildStores();
  return cached;
}
