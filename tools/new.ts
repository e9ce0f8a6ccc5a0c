/**
 * Start a new book:
 *
 *   npm run new -- DIR [--lang en]
 *
 * writes DIR/chapters/book.yaml, two chapters, a chart with its CSV and a table (Chinese by default), which build at
 * once with `node .cache/engine/cli.js build --root DIR`.
 */
import path from 'node:path'
import { parseArgs } from 'node:util'
import { scaffoldBook } from './scaffold.ts'

const USAGE = 'usage: npm run new -- DIR [--lang zh-CN|en]'
const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { lang: { type: 'string', default: 'zh-CN' } },
})
const [dir] = positionals
if (!dir || positionals.length > 1 || !['zh-CN', 'en'].includes(values.lang)) {
  console.error(USAGE)
  process.exit(2)
}
// npm runs scripts from the package root; INIT_CWD is where the user typed the command.
const target = path.resolve(process.env.INIT_CWD ?? process.cwd(), dir)
try {
  const files = await scaffoldBook(target, values.lang as 'zh-CN' | 'en')
  for (const file of files) console.log(`  wrote ${path.join(dir, file)}`)
  console.log(`\nBuild it: node .cache/engine/cli.js build --root ${target}`)
} catch (error) {
  console.error((error as Error).message)
  process.exit(1)
}
