/** The "Latest results" section of bench/README.md, which a full run of everything refreshes. */
import { execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { benchPath } from './proc.js';

const RESULTS_MARK = '<!-- results: written by `npm run bench` (a full run into bench/results) -->';

/**
 * Replaces what follows the results mark in bench/README.md with `resultsMd` (a results.md
 * text, its headings one level down). Answers what it did, for the runner's log.
 */
export function refreshReadme(resultsMd: string): string {
  const readme = benchPath(import.meta.url, '../README.md');
  const text = readFileSync(readme, 'utf8');
  const k = text.indexOf(RESULTS_MARK);
  if (k < 0) return 'bench/README.md has no results mark: not updated';
  const md = resultsMd
    .replace(/^## /gm, '### ')
    .replace(/^# Parley benchmark results/, '## Latest results')
    .replace('](chart.svg)', '](results/chart.svg)');
  writeFileSync(readme, text.slice(0, k + RESULTS_MARK.length) + '\n\n' + md);
  // Keep the README in the repository's Prettier style (`npm run lint` checks it).
  try {
    execFileSync(
      benchPath(import.meta.url, '../../node_modules/.bin/prettier'),
      ['--write', readme],
      {
        stdio: 'ignore',
      },
    );
  } catch {
    return 'updated bench/README.md, but prettier could not format it; run `npx prettier --write bench`';
  }
  return 'updated bench/README.md';
}
