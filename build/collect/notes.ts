/**
 * GFM notes (`text[^label]` … `[^label]: note`), resolved per chapter:
 * a label defined twice, a reference to no definition and a definition
 * nobody references are reported where they are written.
 */
import type { FootnoteDefinition, Text } from 'mdast'
import { visit } from 'unist-util-visit'
import { didYouMean, type Diagnostics, type Position } from '../diagnostics.ts'
import type { BookModel, Chapter } from './model.ts'
import { placeInside, start } from './nodes.ts'

/** `[^label]` left as text: micromark found no definition for it. */
const UNDEFINED_REFERENCE = /\[\^([^\]\s]+)\]/g

/** Check every chapter's notes; errors for duplicates and undefined references, a warning for an unused note. */
export function checkNotes(model: BookModel, diagnostics: Diagnostics): void {
  for (const chapter of model.chapters) checkChapterNotes(chapter, diagnostics)
}

function checkChapterNotes(chapter: Chapter, diagnostics: Diagnostics): void {
  const definitions = new Map<string, { node: FootnoteDefinition; place?: Position }>()
  const referenced = new Set<string>()
  const undefinedReferences: { label: string; place?: Position }[] = []
  visit(chapter.tree, (node) => {
    if (node.type === 'footnoteReference') referenced.add(node.identifier.toLowerCase())
    else if (node.type === 'footnoteDefinition') {
      const key = node.identifier.toLowerCase()
      const first = definitions.get(key)
      if (!first) definitions.set(key, { node, place: start(node) })
      else {
        const where = first.place ? `${chapter.file}:${first.place.line}:${first.place.column}` : chapter.file
        diagnostics.error(
          chapter.file,
          `The note \`[^${node.label ?? node.identifier}]\` is defined twice; the first definition is at ` +
            `\`${where}\`. Remove one, or give it its own label`,
          'note:duplicate',
          start(node),
        )
      }
    } else if (node.type === 'text') {
      for (const match of (node as Text).value.matchAll(UNDEFINED_REFERENCE))
        undefinedReferences.push({ label: match[1]!, place: placeInside(node as Text, match.index!) })
    }
  })
  const unused = [...definitions.entries()].filter(([key]) => !referenced.has(key))
  for (const { label, place } of undefinedReferences) {
    const guess = didYouMean(
      label,
      unused.map(([, { node }]) => node.label ?? node.identifier),
    )
    diagnostics.error(
      chapter.file,
      `\`[^${label}]\` refers to a note that is not defined in this chapter; add \`[^${label}]: …\` at the end of the ` +
        `chapter (notes are per chapter)${guess ? `, or did you mean \`[^${guess}]\`?` : ''}`,
      'note:undefined',
      place,
    )
  }
  for (const [, { node, place }] of unused) {
    const label = node.label ?? node.identifier
    diagnostics.warn(
      chapter.file,
      `The note \`[^${label}]\` is defined but never referenced, so it would not be printed; reference it with ` +
        `\`[^${label}]\` in the text, or delete it`,
      'note:unused',
      place,
    )
  }
}
