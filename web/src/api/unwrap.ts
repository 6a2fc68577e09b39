import { toApiError } from "./errors";

interface FetchResult<T> {
  data?: T;
  error?: unknown;
  response: Response;
}

/** Returns the data of a successful call or throws an ApiError. */
export async function unwrap<T>(call: Promise<FetchResult<T>>): Promise<T> {
  const result = await call;
  if (!result.response.ok) throw toApiError(result.error, result.response);
  return result.data as T;
}

/** For endpoints answering 202/204 with no body. */
export async function unwrapEmpty(call: Promise<FetchResult<unknown>>): Promise<void> {
  const result = await call;
  if (!result.response.ok) throw toApiError(result.error, result.response);
}
