/**
 * Headings: every heading gets a stable id (`part-1-s2` for a section, `part-1-s2-3` for the third lead line in it,
 * as the site's deep links have them), GitHub-style slugs make them linkable (`other.md#iii-配置`), and a section may
 * carry a 目录 title that differs from its heading: `## 发展金融科技面临的挑战 {short="面临挑战"}`.
 */
import type { Heading } from 'mdast'
import GithubSlugger from 'github-slugger'
import { didYouMean, type Diagnostics, type Position } from '../diagnostics.ts'
import { plainText, placeInside, start } from './nodes.ts'
import { sectionNumber } from './numbering.ts'
import type { BookModel, Chapter, Section } from './model.ts'

type Claim = (id: string, file: string, place: Position | undefined) => boolean

/** A trailing `{key="value" …}` on a heading line, as remark leaves it: text at the end of the heading. */
const TRAILING_ATTRIBUTES = /\s*\{\s*((?:[A-Za-z][\w-]*\s*=\s*"[^"]*"\s*)+)\}\s*$/

/** Per chapter: GitHub's slugs (which number repeats, `a`, `a-1`, as GitHub does), and where the ids have got to. */
export interface HeadingState {
  slugger: GithubSlugger
  /** The id the next lead line is numbered under: the current section's, or the chapter's before the first. */
  under: string
  leads: number
}

/** A chapter's heading state, before its first heading. */
export function headingState(chapter: Chapter): HeadingState {
  return { slugger: new GithubSlugger(), under: chapter.id, leads: 0 }
}

/**
 * Give a heading its id and its anchor; `##` headings become sections. Records errors for `#` headings and for
 * unknown heading attributes.
 */
export function collectHeading(
  heading: Heading,
  chapter: Chapter,
  context: { model: BookModel; diagnostics: Diagnostics; claim: Claim; state: HeadingState },
): void {
  const { model, diagnostics, claim, state } = context
  if (heading.depth === 1) {
    diagnostics.error(
      chapter.file,
      'A `#` heading is not allowed in a chapter: the chapter title comes from the front matter. Use `##` for a ' +
        'section',
      'chapter:heading-depth',
      start(heading),
    )
    return
  }
  const short = takeShortTitle(heading, chapter.file, diagnostics)
  const text = plainText(heading.children).trim()
  const slug = state.slugger.slug(text)
  let id: string
  if (heading.depth === 2) {
    const index = chapter.sections.length + 1
    const section: Section = {
      id: `${chapter.id}-s${index}`,
      number: sectionNumber(model.numbering, index, chapter.numeral),
      title: short ?? text,
      heading: text,
      chapter,
    }
    chapter.sections.push(section)
    id = section.id
    Object.assign(state, { under: id, leads: 0 })
    model.targets.set(id, { kind: 'section', chapter })
  } else {
    state.leads += 1
    id = `${state.under}-${state.leads}`
    model.targets.set(id, { kind: 'heading', chapter })
  }
  heading.data = { ...heading.data, hProperties: { ...heading.data?.hProperties, id } }
  claim(id, chapter.file, start(heading))
  chapter.anchors.set(slug, id)
}

/** Remove a trailing `{short="…"}` from the heading and return its value. */
function takeShortTitle(heading: Heading, file: string, diagnostics: Diagnostics): string | undefined {
  const last = heading.children.at(-1)
  if (!last || last.type !== 'text') return undefined
  const match = TRAILING_ATTRIBUTES.exec(last.value)
  if (!match) return undefined
  let short: string | undefined
  for (const [, key, value] of match[1]!.matchAll(/([A-Za-z][\w-]*)\s*=\s*"([^"]*)"/g)) {
    if (key === 'short' && value!.trim()) {
      short = value!.trim()
      continue
    }
    const guess = key === 'short' ? undefined : didYouMean(key!, ['short'])
    diagnostics.error(
      file,
      key === 'short'
        ? 'The heading\'s `short=""` is empty; give the 目录 wording, or remove it'
        : `Unknown heading attribute \`${key}\`${guess ? ` (did you mean \`${guess}\`?)` : ''}: a heading takes only ` +
            '`{short="目录 title"}`, for a 目录 entry that differs from the heading',
      'heading:attribute',
      placeInside(last, match.index + match[0].indexOf('{')),
    )
  }
  last.value = last.value.slice(0, match.index)
  if (last.value === '') heading.children.pop()
  return short
}
