/** The one error hierarchy of the product; apps/server maps it to HTTP in exactly one place. */
export class AppError extends Error {
  constructor(
    message: string,
    readonly code: string,
    readonly details?: unknown,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class ValidationError extends AppError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message, "VALIDATION_001", field ? { field } : undefined);
  }
}
/** A request that cannot be honoured as sent, beyond field validation (e.g. an unknown sign-in state): 400. */
export class BadRequestError extends AppError {
  constructor(
    message: string,
    readonly field?: string,
  ) {
    super(message, "REQUEST_001", field ? { field } : undefined);
  }
}
/** A service HOMEPOT depends on (a sign-in provider) did not answer properly: 502. */
export class UpstreamError extends AppError {
  constructor(message: string) {
    super(message, "UPSTREAM_001");
  }
}
export class NotFoundError extends AppError {
  constructor(message: string) {
    super(message, "NOT_FOUND_001");
  }
}
export class ConflictError extends AppError {
  constructor(message: string) {
    super(message, "CONFLICT_001");
  }
}
/** The thing existed but is no longer usable (an expired, revoked or used-up token or key): 410. */
export class GoneError extends AppError {
  constructor(message: string) {
    super(message, "GONE_001");
  }
}
export class UnauthorizedError extends AppError {
  constructor(message = "Not authenticated") {
    super(message, "AUTH_001");
  }
}
export class ForbiddenError extends AppError {
  constructor(message = "Not allowed") {
    super(message, "AUTH_002");
  }
}
/** A command the device's owner has not allowed: 403 with the grants it lacks (`missing_permissions`). */
export class MissingPermissionsError extends ForbiddenError {
  constructor(
    message: string,
    readonly missingPermissions: readonly string[],
  ) {
    super(message);
  }
}
export class RateLimitedError extends AppError {
  constructor(
    message = "Too many requests",
    readonly retryAfterS = 60,
  ) {
    super(message, "RATE_001");
  }
}
export class UnavailableError extends AppError {
  constructor(message = "Database unavailable") {
    super(message, "DB_CONN_001");
  }
}
/** A body or upload over a size limit or quota (413). */
export class PayloadTooLargeError extends AppError {
  constructor(message: string) {
    super(message, "SIZE_001");
  }
}
/** A byte range outside the resource (416); `size` goes into `Content-Range: bytes * /size`. */
export class RangeNotSatisfiableError extends AppError {
  constructor(
    message: string,
    readonly size: number,
  ) {
    super(message, "RANGE_001");
  }
}
