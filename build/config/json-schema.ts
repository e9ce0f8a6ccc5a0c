/**
 * The book config as a JSON Schema, for editors (completion and checking of book.yaml). Generated from the zod schema
 * the build validates with, so the two cannot disagree; `npm run schema` writes it to docs/book.schema.json.
 */
import { z } from 'zod'
import { bookConfigSchema } from './config.ts'

/** The JSON Schema of book.yaml, as written to docs/book.schema.json. */
export function bookJsonSchema(): Record<string, unknown> {
  return {
    ...z.toJSONSchema(bookConfigSchema, { io: 'input', target: 'draft-2020-12' }),
    title: 'Book config (book.yaml)',
    description: 'The config of a book built by this engine. Every key is described in docs/book-config.md.',
  }
}
