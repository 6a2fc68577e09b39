export interface FieldError {
  loc: (string | number)[];
  msg: string;
}

/** An API error in the server's `{"error", "detail", "fields"?}` shape. */
export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly detail: string;
  readonly fields: FieldError[];
  readonly retryAfter: number | null;

  constructor(init: {
    status: number;
    code: string;
    detail: string;
    fields?: FieldError[];
    retryAfter?: number | null;
  }) {
    super(init.detail);
    this.name = "ApiError";
    this.status = init.status;
    this.code = init.code;
    this.detail = init.detail;
    this.fields = init.fields ?? [];
    this.retryAfter = init.retryAfter ?? null;
  }
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function parseFields(value: unknown): FieldError[] {
  if (!Array.isArray(value)) return [];
  return value.flatMap((item: unknown): FieldError[] => {
    if (!isRecord(item) || typeof item.msg !== "string") return [];
    const loc = Array.isArray(item.loc)
      ? item.loc.filter((p): p is string | number => typeof p === "string" || typeof p === "number")
      : [];
    return [{ loc, msg: item.msg }];
  });
}

function fallbackMessage(status: number): string {
  if (status === 401) return "Please sign in again.";
  if (status === 403) return "You are not allowed to do that.";
  if (status === 404) return "Not found.";
  if (status === 429) return "Too many attempts. Please wait and try again.";
  if (status >= 500) return "The server had a problem. Please try again.";
  return `Request failed (${status}).`;
}

/** Builds an ApiError from whatever the server sent back. */
export function toApiError(body: unknown, response: Response): ApiError {
  const retryHeader = response.headers.get("Retry-After");
  const retryAfter = retryHeader !== null && /^\d+$/.test(retryHeader) ? Number(retryHeader) : null;
  if (isRecord(body)) {
    const fields = parseFields(body.fields ?? body.detail);
    let detail = typeof body.detail === "string" ? body.detail : "";
    if (!detail && fields.length > 0) detail = fields.map((f) => f.msg).join("; ");
    return new ApiError({
      status: response.status,
      code: typeof body.error === "string" ? body.error : `HTTP${response.status}`,
      detail: detail || fallbackMessage(response.status),
      fields,
      retryAfter,
    });
  }
  return new ApiError({
    status: response.status,
    code: `HTTP${response.status}`,
    detail: fallbackMessage(response.status),
    retryAfter,
  });
}

/** A message for any thrown value, suitable for showing to the user. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) return error.detail;
  if (error instanceof TypeError) return "Cannot reach the server. Check your connection.";
  if (error instanceof Error) return error.message;
  return "Something went wrong.";
}

/** The message for one form field from a 422, if the server attributed one. */
export function fieldError(error: unknown, field: string): string | undefined {
  if (!(error instanceof ApiError)) return undefined;
  return error.fields.find((f) => f.loc[f.loc.length - 1] === field)?.msg;
}
