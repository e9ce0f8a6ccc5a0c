/**
 * The search index, built by Pagefind's binary (a child process, hence this tier): Chinese words and numbers are
 * found in the right records, each hit names its part and section, and the same records give the same bytes.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import { describe, expect, it } from 'vitest'
import { buildSearchIndex } from '../../build/site/search.ts'
import { openSearch } from '../helpers/search.ts'

describe('search index', () => {
  it('finds Chinese words and numbers in the right part, and links to the heading', async () => {
    const records = [
      {
        url: 'part-1.html#part-1-s4-1',
        part: '第一部分 浪潮来袭',
        section: '（四）发展概况',
        heading: '市场规模再创新高',
        text: '2019年，中国金融科技整体市场规模达到3753亿元。',
      },
      {
        url: 'part-3.html#part-3-s4',
        part: '第三部分 场景为王',
        section: '（四）风险控制',
        heading: '（四）风险控制',
        text: '智能风控利用大数据整合风险信息。',
      },
      {
        url: 'part-2.html#part-2-s1',
        part: '第二部分 技术为上',
        section: '（一）技术赋能',
        heading: '（一）技术赋能',
        text: '人工智能与区块链。',
      },
    ]
    const files = await buildSearchIndex(records, 'zh-CN')
    expect([...files.keys()]).toContain('pagefind.js')
    expect([...files.keys()].some((file) => file.startsWith('pagefind-ui'))).toBe(false)
    const again = await buildSearchIndex(records, 'zh-CN')
    expect([...again].map(([file, bytes]) => `${file}:${Buffer.from(bytes).toString('base64')}`)).toEqual(
      [...files].map(([file, bytes]) => `${file}:${Buffer.from(bytes).toString('base64')}`),
    )

    const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'search-'))
    for (const [file, bytes] of files) {
      await fs.mkdir(path.dirname(path.join(dir, file)), { recursive: true })
      await fs.writeFile(path.join(dir, file), bytes)
    }
    const search = await openSearch(dir)
    const fintech = await search('金融科技')
    expect(fintech.map((hit) => hit.url)).toEqual(['part-1.html#part-1-s4-1'])
    expect(fintech[0]).toMatchObject({
      part: '第一部分 浪潮来袭',
      section: '（四）发展概况',
      title: '市场规模再创新高',
    })
    expect(fintech[0]!.excerpt).toContain('<mark>')
    expect((await search('3753')).map((hit) => hit.url)).toEqual(['part-1.html#part-1-s4-1'])
    expect((await search('风控')).map((hit) => hit.url)).toEqual(['part-3.html#part-3-s4'])
    expect(await search('不存在的词语')).toEqual([])
  })
})
