/** Positions in YAML documents, for messages about the book config and front matter. */
import fs from 'node:fs/promises'
import { isNode, type Node as YamlNode } from 'yaml'
import { positionAt, type Position } from '../diagnostics.ts'

/**
 * The YAML node at a key path, or the nearest ancestor that exists. With
 * `key: true`, the node of the last key itself rather than its value.
 */
export function yamlNodeAt(node: unknown, keyPath: string[], options: { key?: boolean } = {}): YamlNode | undefined {
  let current: unknown = node
  let best: YamlNode | undefined = isNode(node) ? node : undefined
  for (const [depth, key] of keyPath.entries()) {
    if (!current || typeof current !== 'object' || !('items' in current)) break
    const items = (current as { items: unknown[] }).items
    const last = depth === keyPath.length - 1
    let next: unknown
    for (const [index, item] of items.entries()) {
      if (item && typeof item === 'object' && 'key' in item) {
        const pair = item as { key: { value?: unknown } | null; value: unknown }
        if (String(pair.key?.value) === key) next = (options.key && last ? pair.key : pair.value) ?? pair.key
      } else if (String(index) === key) next = item
    }
    if (next === undefined) break
    current = next
    if (isNode(next)) best = next
  }
  return best
}

/** Where `needle` first appears in a file, when it does. */
export async function textPlace(file: string, needle: string): Promise<Position | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => '')
  const offset = text.indexOf(needle)
  return offset < 0 ? undefined : positionAt(text, offset)
}
