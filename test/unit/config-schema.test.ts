/**
 * The book config: its JSON Schema for editors (current with the zod schema, accepting the books in this repository),
 * and its font paths.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { Ajv2020 } from 'ajv/dist/2020.js'
import { parse } from 'yaml'
import { describe, expect, it } from 'vitest'
import { bookConfigSchema, bookJsonSchema, Diagnostics, resolveFonts } from '../../build/index.ts'
import { REPO } from '../helpers/book.ts'

const SCHEMA_FILE = path.join(REPO, 'docs/book.schema.json')

describe('docs/book.schema.json', () => {
  it('is what the config schema gives (run `npm run schema` after changing it)', async () => {
    expect(JSON.parse(await fs.readFile(SCHEMA_FILE, 'utf8'))).toEqual(bookJsonSchema())
  })

  it('accepts every book config in the repository and rejects an unknown label or numbering style', async () => {
    const validate = new Ajv2020({ strict: false }).compile(bookJsonSchema())
    for (const file of ['chapters/book.yaml', 'test/fixtures/en-plain/chapters/book.yaml']) {
      const config: unknown = parse(await fs.readFile(path.join(REPO, file), 'utf8'))
      expect(validate(config), `${file}: ${JSON.stringify(validate.errors)}`).toBe(true)
    }
    const base = { title: 't', publisher: 'p', author: 'a', date: '2020', chapters: ['a.md'] }
    expect(validate({ ...base, labels: { figrue: 'Fig. {n}' } })).toBe(false)
    expect(validate({ ...base, numbering: { sections: 'decimall' } })).toBe(false)
    expect(validate({ ...base, labels: { figure: 'Fig. {n}' }, numbering: { floats: 'chapter-dot' } })).toBe(true)
  })
})

describe('font paths', () => {
  it('resolve relative to book.yaml with or without ./, and npm package paths through node_modules', async () => {
    const root = await fs.mkdtemp(path.join(os.tmpdir(), 'font-paths-'))
    await fs.mkdir(path.join(root, 'chapters/fonts'), { recursive: true })
    const latin = path.join(REPO, 'node_modules/@fontsource/noto-sans/files/noto-sans-latin-400-normal.woff2')
    await fs.copyFile(latin, path.join(root, 'chapters/fonts/a.woff2'))
    const config = bookConfigSchema.parse({
      ...{ title: 't', publisher: 'p', author: 'a', date: '2020', chapters: ['a.md'], language: 'en' },
      fonts: {
        family: 'A',
        regular: 'fonts/a.woff2',
        bold: './fonts/a.woff2',
        italic: '@fontsource/noto-sans/files/noto-sans-latin-400-italic.woff2',
      },
    })
    const diagnostics = new Diagnostics()
    const fonts = resolveFonts(config, root, diagnostics, path.join(root, 'chapters/book.yaml'))
    expect(diagnostics.list).toEqual([])
    expect(fonts!.faces.map((f) => `${f.weight}${f.style} ${path.basename(f.file)}`)).toEqual([
      '400normal a.woff2',
      '700normal a.woff2',
      '400italic noto-sans-latin-400-italic.woff2',
    ])
    expect(fonts!.stack).toBe('"A"')
  })

  it('give a Chinese book Noto Sans SC with Noto Sans before it for Latin runs, and an English book Noto Sans', () => {
    const base = { title: 't', publisher: 'p', author: 'a', date: '2020', chapters: ['a.md'] }
    const stack = (language: string) =>
      resolveFonts(bookConfigSchema.parse({ ...base, language }), REPO, new Diagnostics(), path.join(REPO, 'x.yaml'))!
        .stack
    expect(stack('zh-CN')).toBe('"Noto Sans", "Noto Sans SC"')
    expect(stack('en')).toBe('"Noto Sans"')
  })
})
