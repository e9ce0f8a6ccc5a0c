/**
 * `tools/engine.mjs`: the engine is compiled when its sources changed, and only then. Runs the script on a
 * tiny project of its own (a copy of the scripts, two tsconfig files, one source file), with the real compiler.
 */
import { execFile } from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { promisify } from 'node:util'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'

const run = promisify(execFile)
const repo = path.resolve(import.meta.dirname, '../..')

describe('engine freshness', () => {
  let project: string
  const compile = () => run(process.execPath, ['tools/engine.mjs', '--compile', 'engine'], { cwd: project })
  const output = () => fs.readFile(path.join(project, '.cache/engine/cli.js'), 'utf8')
  const compiledAt = async () => (await fs.stat(path.join(project, '.cache/engine/cli.js'))).mtimeMs

  beforeAll(async () => {
    project = await fs.mkdtemp(path.join(os.tmpdir(), 'engine-fresh-'))
    await fs.mkdir(path.join(project, 'tools'))
    await fs.mkdir(path.join(project, 'build'))
    for (const script of ['engine.mjs', 'build-stamp.mjs'])
      await fs.copyFile(path.join(repo, 'tools', script), path.join(project, 'tools', script))
    for (const file of ['package.json', 'tsconfig.json', 'tsconfig.build.json'])
      await fs.copyFile(path.join(repo, file), path.join(project, file))
    await fs.symlink(path.join(repo, 'node_modules'), path.join(project, 'node_modules'))
    await fs.writeFile(path.join(project, 'build/cli.ts'), 'export const answer: number = 41\n')
  })
  afterAll(() => fs.rm(project, { recursive: true, force: true }))

  it('compiles a fresh project, skips an unchanged one, and recompiles after an edit', async () => {
    await compile()
    expect(await output()).toContain('answer = 41')
    const first = await compiledAt()

    await compile()
    expect(await compiledAt()).toBe(first)

    await fs.writeFile(path.join(project, 'build/cli.ts'), 'export const answer: number = 42\n')
    await compile()
    expect(await output()).toContain('answer = 42')
  })

  it('recompiles when a source file is added or removed, not only edited', async () => {
    await compile()
    await fs.writeFile(path.join(project, 'build/extra.ts'), 'export const extra = 1\n')
    await compile()
    expect(await fs.readFile(path.join(project, '.cache/engine/extra.js'), 'utf8')).toContain('extra = 1')
  })

  it('fails on a type error and compiles again on the next run, however the clock stands', async () => {
    await fs.writeFile(path.join(project, 'build/cli.ts'), "export const answer: number = 'x'\n")
    await expect(compile()).rejects.toMatchObject({ stdout: expect.stringContaining('TS2322') })
    await fs.writeFile(path.join(project, 'build/cli.ts'), 'export const answer: number = 43\n')
    // An old modification time must not hide the edit: freshness is by content.
    await fs.utimes(path.join(project, 'build/cli.ts'), new Date(0), new Date(0))
    await compile()
    expect(await output()).toContain('answer = 43')
  })
})
