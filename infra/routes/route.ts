import type { HttpMethod } from 'aws-cdk-lib/aws-apigatewayv2';
import type { AccessPolicy } from '../../shared/domain/access';
import type { StageConfig } from '../config/stage';
import type { SiteConfig } from '../../shared/site-config';

import type { WorkflowName } from '../../shared/env';

export type { WorkflowName };

/**
 * One route of the HTTP API and everything its function is allowed: the route tables in this
 * folder are the one place a route, its handler folder and its permissions are written down.
 */
export interface ApiRoute {
  method: HttpMethod;
  /** The path clients call (and tests fill in). */
  path: string;
  /**
   * The route key's path, where `path` cannot be one: API Gateway documents no character set for
   * HTTP API route paths and uses `$` for its own keys ($default), so a FHIR operation segment
   * (`$everything`) is a path variable the handler checks. @default path
   */
  routeKeyPath?: string;
  /** Folder under functions/ holding handler.ts. */
  handler: string;
  /** Who may call it (shared/domain/access.ts); the function refuses every other role (403). */
  access: AccessPolicy;
  /** What the function may do with the care-record table ('none': it answers from code alone). */
  data: 'none' | 'read' | 'write';
  /** State machines whose executions the function reads (to show a workflow's status). */
  readsExecutionsOf?: WorkflowName[];
  /**
   * State machines whose executions' status alone the function asks (DescribeExecution; the
   * execution's ARN comes from the record, so no ARN variable): no history, no listing.
   */
  asksStatusOfExecutionsOf?: WorkflowName[];
  /** Stage configuration the function reads, as environment variables (small and fixed-size only). */
  environment?: (config: StageConfig) => Record<string, string>;
  /** Stage configuration that grows with the hospital, written into the bundle (shared/site-config.ts). */
  siteConfig?: (config: StageConfig) => Partial<SiteConfig>;
}
