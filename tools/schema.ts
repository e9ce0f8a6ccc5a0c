/**
 * Write the book config's JSON Schema for editors: `npm run schema` → docs/book.schema.json. A unit test fails when
 * the file is not what the schema gives.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import { bookJsonSchema } from '../build/index.ts'

// npm runs scripts from the package root.
const file = path.resolve('docs/book.schema.json')
await fs.writeFile(file, `${JSON.stringify(bookJsonSchema(), null, 2)}\n`)
console.log(`wrote ${path.relative(process.cwd(), file)}`)
