/** Cross-references in running text (`@fig-name`, `@tbl-name`), checked against the book model. */
import type { Text } from 'mdast'
import { visit } from 'unist-util-visit'
import { didYouMean, type Diagnostics } from '../diagnostics.ts'
import type { BookModel } from './model.ts'
import { placeInside } from './nodes.ts'

/**
 * `{#id}` references in running text: `@fig-name`, `@tbl-name`, also right after a Han character (见@fig-x). An e-mail
 * address does not match: its @ follows a Latin letter, digit or `_.+-`, and its domain goes on after a dot.
 */
export const REFERENCE = /(?<![A-Za-z0-9_.+-])@((?:fig|tbl)-[A-Za-z0-9_-]*[A-Za-z0-9])(?![A-Za-z0-9_-]|\.[A-Za-z0-9])/gu

/** Check every cross-reference against the model. Records an error for each unknown or wrong-kind id. */
export function checkReferences(model: BookModel, diagnostics: Diagnostics): void {
  for (const chapter of model.chapters) {
    visit(chapter.tree, 'text', (node: Text) => {
      for (const match of node.value.matchAll(REFERENCE)) {
        const id = match[1]!
        const place = placeInside(node, match.index!)
        const target = model.targets.get(id)
        const wantedKind = id.startsWith('fig-') ? 'figure' : 'table'
        const swapped = `${wantedKind === 'figure' ? 'tbl-' : 'fig-'}${id.slice(4)}`
        const other = target ? undefined : model.targets.get(swapped)
        if (other) {
          diagnostics.error(
            chapter.file,
            `@${id} refers to a ${wantedKind}, but \`${swapped}\` is a ${other.kind}: \`${id.slice(0, 4)}\` is for ` +
              `${wantedKind}s. Write @${swapped}`,
            'crossref:wrong-kind',
            place,
          )
        } else if (!target) {
          const candidates = [...model.targets.entries()].filter(([, t]) => t.kind === wantedKind).map(([key]) => key)
          const guess = didYouMean(id, candidates)
          diagnostics.error(
            chapter.file,
            `Unknown reference @${id}${guess ? `; did you mean @${guess}?` : `; no ${wantedKind} has that id`}`,
            'crossref:unknown-id',
            place,
          )
        } else if (target.kind !== wantedKind) {
          diagnostics.error(
            chapter.file,
            `@${id} points at a ${target.kind}, but \`${id.slice(0, 4)}\` is for ${wantedKind}s; rename the ` +
              `${target.kind}'s id to start with \`${target.kind === 'figure' ? 'fig-' : 'tbl-'}\``,
            'crossref:wrong-kind',
            place,
          )
        }
      }
    })
  }
}
