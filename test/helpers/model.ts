/** Chapters from strings through the engine's parse, collect and render steps, without files or a browser. */
import {
  checkLinks,
  checkNotes,
  checkReferences,
  collectBook,
  Diagnostics,
  formatDiagnostic,
  parseMarkdown,
  readFrontMatter,
  renderChapter,
  stringify,
  type BookModel,
} from '../../build/index.ts'

/** The book model, every message of the collect step, and each chapter's HTML, by file. */
export function bookFrom(
  chapters: Record<string, string>,
  options: Parameters<typeof renderChapter>[2] = {},
): { model: BookModel; messages: string[]; html: Map<string, string> } {
  const diagnostics = new Diagnostics()
  const inputs = Object.entries(chapters).map(([file, source]) => {
    const tree = parseMarkdown(source)
    const frontMatter = readFrontMatter(tree, file, diagnostics)!
    return { file, tree, frontMatter, source }
  })
  const model = collectBook(inputs, diagnostics)
  checkReferences(model, diagnostics)
  checkLinks(model, diagnostics)
  checkNotes(model, diagnostics)
  const html = new Map(model.chapters.map((c) => [c.file, stringify(renderChapter(c.tree, model, options))]))
  return { model, messages: diagnostics.list.map(formatDiagnostic), html }
}
