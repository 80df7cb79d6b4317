// The API's refusals, placed where the user looks: each GraphQL error carries the
// message in the language asked, a code, and (when it is about one input) the field.
import type { CombinedError } from "urql";
import { AuthRefusal } from "./session";

export interface Refusal {
  message: string;
  code: string | null;
  field: string | null;
}

export interface Refusals {
  /** the refusal naming this field (an argument or input field of the operation) */
  of(field: string): string | undefined;
  /** the refusals that name no field the form shows */
  general(shown: readonly string[]): Refusal[];
  any: boolean;
}

export function refusalsOf(error: CombinedError | AuthRefusal | Error | null | undefined): Refusal[] {
  if (!error) return [];
  if (error instanceof AuthRefusal) return [{ message: error.message, code: error.code, field: error.field }];
  if ("graphQLErrors" in error) {
    const combined = error as CombinedError;
    if (combined.graphQLErrors.length > 0) {
      return combined.graphQLErrors.map((e) => ({
        message: e.message,
        code: typeof e.extensions?.code === "string" ? e.extensions.code : null,
        field: typeof e.extensions?.field === "string" ? e.extensions.field : null,
      }));
    }
    if (combined.networkError) return [{ message: combined.networkError.message, code: "NETWORK", field: null }];
  }
  return [{ message: error.message, code: null, field: null }];
}

/** The last segment of a refusal's field ("input.hours" and "hours" both name "hours"). */
function leaf(field: string): string {
  const parts = field.split(".");
  return parts[parts.length - 1];
}

export function refusals(error: CombinedError | AuthRefusal | Error | null | undefined): Refusals {
  const list = refusalsOf(error);
  return {
    of: (field) => list.find((r) => r.field !== null && leaf(r.field) === field)?.message,
    general: (shown) => list.filter((r) => r.field === null || !shown.includes(leaf(r.field))),
    any: list.length > 0,
  };
}
