/**
 * Zod's issues in the terms a message needs. The config and the front matter
 * word their messages differently, but read zod's issues the same way.
 */
import type { z } from 'zod'

/** One problem a schema found at a key path. */
export type SchemaIssue =
  | { kind: 'unknown-key'; path: string[]; key: string }
  | { kind: 'missing'; path: string[] }
  | { kind: 'invalid'; path: string[]; code: string; message: string }

/**
 * One issue per problem: an `unrecognized_keys` issue becomes one per key, so that each is reported at the key itself.
 */
export function schemaIssues(error: z.ZodError): SchemaIssue[] {
  return error.issues.flatMap((issue): SchemaIssue[] => {
    const path = issue.path.map(String)
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ kind: 'unknown-key', path, key }))
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return [{ kind: 'missing', path }]
    return [{ kind: 'invalid', path, code: issue.code, message: issue.message }]
  })
}
