/**
 * Zod's issues in the terms a message needs. The config and the front matter
 * word their messages differently, but read zod's issues the same way.
 */
import type { z } from 'zod'
import { didYouMean } from '../diagnostics.ts'

/** One problem a schema found at a key path. */
export type SchemaIssue =
  | { kind: 'unknown-key'; path: string[]; key: string }
  | { kind: 'missing'; path: string[] }
  | { kind: 'invalid'; path: string[]; code: string; message: string; hint: string }

/**
 * One issue per problem: an `unrecognized_keys` issue becomes one per key, so that each is reported at the key itself.
 */
export function schemaIssues(error: z.ZodError, input?: unknown): SchemaIssue[] {
  return error.issues.flatMap((issue): SchemaIssue[] => {
    const path = issue.path.map(String)
    if (issue.code === 'unrecognized_keys') return issue.keys.map((key) => ({ kind: 'unknown-key', path, key }))
    if (issue.code === 'invalid_type' && /received undefined/.test(issue.message)) return [{ kind: 'missing', path }]
    return [{ kind: 'invalid', path, code: issue.code, message: issue.message, hint: guess(issue, input) }]
  })
}

/** For a value that must be one of a list (a numbering style, a chapter kind): `; did you mean `x`?`, or ''. */
function guess(issue: z.core.$ZodIssue, input: unknown): string {
  if (issue.code !== 'invalid_value') return ''
  let value: unknown = input
  for (const key of issue.path)
    value = value && typeof value === 'object' ? (value as Record<PropertyKey, unknown>)[key] : undefined
  if (typeof value !== 'string') return ''
  const found = didYouMean(value, issue.values.map(String))
  return found ? `; did you mean \`${found}\`?` : ''
}
