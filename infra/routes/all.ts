import { CARE_RECORD_ROUTES } from './care-record';
import { DISCHARGE_ROUTES } from './discharge';
import { PATIENT_SERVICES_ROUTES } from './patient-services';
import type { ApiRoute } from './route';

/** Every route of the API, all areas: what the tests walk (each area is its own stack in infra/app.ts). */
export const API_ROUTES: readonly ApiRoute[] = [...CARE_RECORD_ROUTES, ...DISCHARGE_ROUTES, ...PATIENT_SERVICES_ROUTES];
