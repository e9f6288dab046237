// What went wrong with a request, as plain data a component can show (no Error objects in view state).
import { ApiError, type ApiErrorKind } from '../api/http';

export interface LoadFailure {
  kind: ApiErrorKind;
  status?: number;
  message: string;
}

export function toLoadFailure(error: unknown): LoadFailure {
  if (error instanceof ApiError) return { kind: error.kind, status: error.status, message: error.message };
  return { kind: 'invalid', message: error instanceof Error ? error.message : String(error) };
}
