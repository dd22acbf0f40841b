import { createRequire } from 'node:module';
import type { Result, RunOptions } from 'axe-core';
import type { Page } from 'playwright-core';

const AXE_PATH = createRequire(import.meta.url).resolve('axe-core/axe.min.js');

/** The WCAG 2.2 AA rule set (what CONVENTIONS.md requires of the agent app and the widget). */
export const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21aa', 'wcag22aa'];

export interface AxeCheckOptions {
  /** CSS selector of the part of the page to check (default: the whole document). */
  include?: string;
  /** Rule ids to switch off, each with a reason in the calling test. */
  disableRules?: string[];
}

function describe(violations: Result[]): string {
  return violations
    .map((v) => {
      const nodes = v.nodes
        .slice(0, 5)
        .map((n) => `      - ${n.target.join(' ')}\n        ${(n.failureSummary ?? '').replace(/\n/g, '\n        ')}`)
        .join('\n');
      const more = v.nodes.length > 5 ? `\n      ... and ${v.nodes.length - 5} more` : '';
      return `  [${v.impact ?? 'unknown'}] ${v.id}: ${v.help} (${v.helpUrl})\n${nodes}${more}`;
    })
    .join('\n');
}

/** Runs axe-core in the page and fails with a readable list of WCAG 2.2 AA violations. */
export async function expectNoAxeViolations(page: Page, options: AxeCheckOptions = {}): Promise<void> {
  await page.addScriptTag({ path: AXE_PATH });
  const runOptions: RunOptions = {
    runOnly: { type: 'tag', values: WCAG_TAGS },
    rules: Object.fromEntries((options.disableRules ?? []).map((id) => [id, { enabled: false }])),
  };
  const results = await page.evaluate(
    async ({ include, runOptions }) => {
      const axe = (window as unknown as { axe: typeof import('axe-core') }).axe;
      return axe.run(include ? { include: [include] } : document, runOptions);
    },
    { include: options.include, runOptions },
  );
  const violations = results.violations;
  if (violations.length > 0) {
    throw new Error(`${violations.length} accessibility violation(s) (axe, WCAG 2.2 AA) on ${page.url()}:\n${describe(violations)}`);
  }
}
