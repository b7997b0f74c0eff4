// The four themes the UI tests draw in, and how they switch to one: through Preferences: Color
// Theme in the command palette, as a person would.

/** Each theme's name in the picker, the class the workbench then has, and a short name for screenshots. */
export const THEMES = [
  ['Dark Modern', 'vs-dark', 'dark'],
  ['Light Modern', 'vs', 'light'],
  ['Dark High Contrast', 'hc-black', 'hc-dark'],
  ['Light High Contrast', 'hc-light', 'hc-light'],
] as const;

export type ExpectVisible = (locator: any, what: string, name: string) => Promise<void>;

/**
 * Switches the workbench of `page` to the theme `label` and waits for its class. Rows are clicked,
 * not chosen by Enter: the palette ranks "Browse Color Themes in Marketplace" first.
 */
export async function pickTheme(page: any, label: string, expectVisible: ExpectVisible): Promise<void> {
  await page.waitForTimeout(300);
  await page.locator('.part.sidebar .composite.title').first().click();
  await page.keyboard.press('F1');
  await expectVisible(page.locator('.quick-input-widget input'), 'the command palette', 'palette');
  await page.keyboard.type('Preferences: Color Theme');
  const command = page.locator('.quick-input-widget .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first();
  await expectVisible(command, '"Preferences: Color Theme" in the command palette', 'theme-command');
  await command.click();
  await page.keyboard.type(label);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: new RegExp(`^${label}`) }).first();
  await expectVisible(row, `the theme "${label}" in the picker`, 'theme-pick');
  await row.click();
  const cls = THEMES.find(([l]) => l === label)?.[1];
  if (cls) await expectVisible(page.locator(`.monaco-workbench.${cls}`), `the workbench in ${label}`, `theme-${cls}`);
}
