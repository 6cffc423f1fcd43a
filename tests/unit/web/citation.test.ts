/** "Cite this" (issue 17.1): the APA-style text in English and Khmer and the BibTeX entry of a pinned scene. */
import { describe, expect, it } from 'vitest';
import { apaCitation, bibtexCitation, bibtexEscape, citation, formatDay, khmerDigits, GRAPH_NAME } from '../../../web/src/lib/cite/citation.ts';

const input = {
  title: 'Explore: Decentralisation & Administrative Reform (DAR)',
  url: 'https://dar.example.org/?v=explore&x=dar,mcs:PARTNERS_WITH:in:20&at=412&lang=en',
  seq: 412,
  recorded: '2026-03-05T08:15:00.000Z',
  accessed: '2026-12-02T23:30:00.000Z',
};

describe('citation formatter', () => {
  it('APA: graph as author, the date of the version, title, version, data set, retrieval date and the pinned URL', () => {
    expect(apaCitation(input, 'en')).toBe(
      'DAR Knowledge Graph. (2026, March 5). Explore: Decentralisation & Administrative Reform (DAR) (Version 412) [Data set]. ' +
        'Retrieved December 2, 2026, from https://dar.example.org/?v=explore&x=dar,mcs:PARTNERS_WITH:in:20&at=412&lang=en',
    );
  });

  it('APA in Khmer: Khmer words, month names and digits; the graph and URL unchanged', () => {
    const km = apaCitation({ ...input, title: 'រុករក៖ DAR' }, 'km');
    expect(km).toBe(
      `${GRAPH_NAME}។ (២០២៦, ៥ មីនា)។ រុករក៖ DAR (កំណែ ៤១២) [សំណុំទិន្នន័យ]។ ទាញយកនៅ ២ ធ្នូ ២០២៦ ពី ${input.url}`,
    );
    expect(km).not.toMatch(/Version|Retrieved|Data set/);
  });

  it('dates are the audit clock (UTC), not the reader’s time zone', () => {
    expect(formatDay('2026-12-31T23:59:59.000Z', 'en')).toBe('31 December 2026');
    expect(formatDay('2026-01-01T00:00:00.000Z', 'km')).toBe('១ មករា ២០២៦');
    expect(khmerDigits(2026)).toBe('២០២៦');
  });

  it('BibTeX: an @misc keyed by the version, with title, author, year, month macro, version, dates and url', () => {
    const bib = bibtexCitation(input);
    expect(bib.startsWith('@misc{dar-kg-v412,\n')).toBe(true);
    expect(bib.endsWith('\n}')).toBe(true);
    expect(bib).toContain('title   = {{DAR Knowledge Graph}: Explore: Decentralisation \\& Administrative Reform (DAR)}');
    expect(bib).toContain('author  = {{DAR Knowledge Graph}}');
    expect(bib).toMatch(/year {4}= \{2026\}/);
    expect(bib).toMatch(/month {3}= mar,/);
    expect(bib).toMatch(/version = \{412\}/);
    expect(bib).toMatch(/date {4}= \{2026-03-05\}/);
    expect(bib).toMatch(/urldate = \{2026-12-02\}/);
    expect(bib).toContain(`url     = {${input.url}}`);
    expect(bib).toContain('note    = {Version 412, as recorded on 2026-03-05T08:15:00.000Z}');
    // Braces balance, so the entry parses.
    let depth = 0;
    for (const c of bib.replace(/\\[{}]/g, '')) {
      depth += c === '{' ? 1 : c === '}' ? -1 : 0;
      expect(depth).toBeGreaterThanOrEqual(0);
    }
    expect(depth).toBe(0);
  });

  it('escapes what BibTeX would read as commands, and keeps a hostile title from closing the field', () => {
    expect(bibtexEscape('50% of $ & #1_a^b~c\\d{e}')).toBe('50\\% of \\$ \\& \\#1\\_a\\textasciicircum{}b\\textasciitilde{}c\\textbackslash{}d\\{e\\}');
    const bib = bibtexCitation({ ...input, title: '}, author = {Mallory' });
    expect(bib).not.toMatch(/author\s*=\s*\{Mallory/);
    expect(bib).toContain('\\}, author = \\{Mallory');
  });

  it('a graph never written cites the day it was read', () => {
    const { apa, bibtex } = citation({ ...input, seq: 0, recorded: null }, 'en');
    expect(apa).toContain('(2026, December 2)');
    expect(bibtex).toContain('note    = {Version 0}');
  });
});
