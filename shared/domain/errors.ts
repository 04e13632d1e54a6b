/**
 * Domain errors. Handlers map them to HTTP status codes; workflow task handlers let them
 * propagate so the state machine can Catch them by `name`.
 */
export class DomainError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends DomainError {}

/** The request conflicts with the current state (already done, lost a race, wrong status). */
export class ConflictError extends DomainError {}

/** An If-Match / expected version did not match the stored one. */
export class PreconditionFailedError extends DomainError {}

/** Input that passed schema validation but breaks a domain rule. */
export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly issues: ReadonlyArray<{ field: string; reason: string }> = [],
  ) {
    super(message);
  }
}

/** A dependency (e.g. Step Functions) failed in a way the caller may retry. */
export class ServiceUnavailableError extends DomainError {}
