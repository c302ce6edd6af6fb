/**
 * Domain errors. HTTP handlers map them to 4xx answers; workflow tasks throw them by name so
 * the state machine's Retry and Catch can match them.
 */
export class DomainError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = errorNameOf(new.target);
  }
}

/**
 * The name an error travels under (Lambda's errorType, SendTaskFailure's error), which the state
 * machine matches: the class name, unless the class keeps an older `wireName`.
 */
export function errorNameOf(errorClass: (abstract new (...args: never[]) => Error) & { readonly wireName?: string }): string {
  return errorClass.wireName ?? errorClass.name;
}

/** The input is malformed; `issues` names each problem in words a requester can act on. */
export class ValidationError extends DomainError {
  constructor(
    message: string,
    readonly issues: { path: string; message: string }[] = [],
  ) {
    super(message);
  }
}

export class RequestNotFoundError extends DomainError {}

/** A store id the catalog does not declare (or not of the kind the route serves). */
export class UnknownStoreError extends DomainError {}

/** A signed message (a processor's callback) whose signature is missing, wrong or stale. */
export class SignatureRefusedError extends DomainError {}

/** The request is not in a state where this action makes sense (approve twice, verify late...). */
export class ConflictError extends DomainError {}

/** A parked workflow task that is already closed (timed out, or its execution ended): its token resumes nothing. */
export class ParkedTaskClosedError extends ConflictError {}

/** A verification or download link that is unknown, used, or past its expiry. */
export class InvalidLinkError extends DomainError {}

/** A data store did not answer or answered with a transient error: worth retrying. */
export class StoreUnavailableError extends DomainError {}

/** A data store is declared in a way that cannot work (missing identity, unknown kind). */
export class StoreConfigurationError extends DomainError {}

/** The mail service refused or did not answer: the workflow retries the notification by this name. */
export class MailNotSentError extends DomainError {}

/** The re-check after erasure still found data of the subject: retried, then reported as a failed store. */
export class ErasureIncompleteError extends DomainError {}

/**
 * The requester withdrew the request. A workflow task that finds its request cancelled fails with
 * this error (so does a parked task the cancellation ends), and the state machine's Catch ends the
 * execution in its Cancelled state. Its wire name stays `RequestCancelled`: executions started by
 * an earlier version keep their definition while parked (up to a year) and catch only that name.
 */
export class RequestCancelledError extends DomainError {
  static readonly wireName = 'RequestCancelled';
}

/**
 * An officer rejected the request: the parked approval task fails with this error, and the
 * workflow tells the requester. Wire name `RequestRejected`, as earlier versions' definitions catch it.
 */
export class RequestRejectedError extends DomainError {
  static readonly wireName = 'RequestRejected';
}

/** The jurisdiction's policy does not allow this extension of the due date (too late, too long, too often). */
export class ExtensionRefusedError extends DomainError {}

/** A paging cursor this API did not give out (or gave for another listing). */
export class InvalidCursorError extends DomainError {}
