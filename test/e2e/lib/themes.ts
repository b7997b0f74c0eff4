// The four themes the UI tests draw in, and how they switch to one: through Preferences: Color
// Theme in the command palette, as a person would.
import { focusWorkbench } from './settled';

/**
 * Each theme's name in the picker, the class the workbench then has, a short name for screenshots,
 * and the kind a webview's page then has (VS Code sets its body's data-vscode-theme-kind, and the
 * class of that name, when it sends the page the theme's colours).
 */
export const THEMES = [
  ['Dark Modern', 'vs-dark', 'dark', 'vscode-dark'],
  ['Light Modern', 'vs', 'light', 'vscode-light'],
  ['Dark High Contrast', 'hc-black', 'hc-dark', 'vscode-high-contrast'],
  ['Light High Contrast', 'hc-light', 'hc-light', 'vscode-high-contrast-light'],
] as const;

export type ExpectVisible = (locator: any, what: string, name: string) => Promise<void>;

/**
 * Switches the workbench of `page` to the theme `label` and waits for its class, and, when `webview`
 * (a webview page's frame) is given, until that page has the theme's colours. Rows are clicked, not
 * chosen by Enter: the palette ranks "Browse Color Themes in Marketplace" first.
 */
export async function pickTheme(page: any, label: string, expectVisible: ExpectVisible, webview?: any): Promise<void> {
  const focused = await focusWorkbench(page);
  await page.keyboard.press('F1');
  await expectVisible(page.locator('.quick-input-widget input'), `the command palette${focused ? '' : ' (the focus stayed in a webview)'}`, 'palette');
  await page.keyboard.type('Preferences: Color Theme');
  const command = page.locator('.quick-input-widget .monaco-list-row', { hasText: /^Preferences: Color Theme/ }).first();
  await expectVisible(command, '"Preferences: Color Theme" in the command palette', 'theme-command');
  await command.click();
  await page.keyboard.type(label);
  const row = page.locator('.quick-input-widget .monaco-list-row', { hasText: new RegExp(`^${label}`) }).first();
  await expectVisible(row, `the theme "${label}" in the picker`, 'theme-pick');
  await row.click();
  const theme = THEMES.find(([l]) => l === label);
  if (!theme) return;
  await expectVisible(page.locator(`.monaco-workbench.${theme[1]}`), `the workbench in ${label}`, `theme-${theme[1]}`);
  if (webview) await expectVisible(webview.locator(`body[data-vscode-theme-kind="${theme[3]}"]`), `the webview's page in ${label} (${theme[3]})`, `theme-webview-${theme[2]}`);
}
