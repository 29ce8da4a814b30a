// Bird's error answers as the emulator raises them: `ApiError` and the constructors for 404, 400 and 422.

/** A Bird error answer: `{code, message}` (+ `details` for 422). The server serializes it as is. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: Record<string, string[]>,
  ) {
    super(message);
  }
}

export const notFound = (what: string) => new ApiError(404, 'NotFound', `The requested resource does not exist: ${what} not found`);
export const badRequest = (message: string) => new ApiError(400, 'InvalidRequest', `Bad request: ${message}`);
export const validationFailed = (details: Record<string, string[]>) =>
  new ApiError(422, 'ValidationError', 'The request did not pass validation', details);
