/** What both browser test files read off a dashboard page. */
import type { Page } from 'playwright-core';

/** The reference ids the transactions table shows, top to bottom. */
export const shownReferences = (on: Page) => on.locator('tbody tr[data-transaction] a').allTextContents();

/** The accessible names of the buttons `name` finds: their aria-label, or else their text. */
export const buttonNames = (on: Page, name: RegExp) =>
  on
    .getByRole('button', { name })
    .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('aria-label') ?? b.textContent?.trim()));
