/**
 * Domain errors. Handlers map them to HTTP status codes; workflow task handlers let them
 * propagate so the state machine can Catch or Retry them by `name`. Names are literal strings,
 * not `constructor.name`: bundles are minified, and a state machine matches on these names.
 */
export class DomainError extends Error {
  override name = 'DomainError';
}

export class NotFoundError extends DomainError {
  override name = 'NotFoundError';
}

/** The request conflicts with the current state (already done, lost a race, wrong status). */
export class ConflictError extends DomainError {
  override name = 'ConflictError';
}

/** Input that passed schema validation but breaks a domain rule. */
export class ValidationError extends DomainError {
  override name = 'ValidationError';
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ field: string; reason: string }> = [],
  ) {
    super(message);
  }
}

/** The caller's If-Match names a version that is no longer the stored one (HTTP 412). */
export class PreconditionFailedError extends DomainError {
  override name = 'PreconditionFailedError';
}

/** An update that two people could race on came without the version it was based on (HTTP 428). */
export class PreconditionRequiredError extends DomainError {
  override name = 'PreconditionRequiredError';
}
