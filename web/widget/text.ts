import { enChat } from '../src/locales/en-chat';

/**
 * The widget's strings: only the chat catalog (the agent app's whole catalog would triple the
 * bundle). Same rules as web/src/i18n.ts: {placeholders}, plural forms on `count`.
 */
type Entry = string | { readonly one?: string; readonly other: string };
export type WidgetKey = keyof typeof enChat;

export function tr(key: WidgetKey, vars?: Record<string, string | number>): string {
  const entry: Entry = enChat[key];
  let text: string;
  if (typeof entry === 'string') text = entry;
  else {
    const form = new Intl.PluralRules('en').select(Number(vars?.count ?? 0));
    text = (entry as Record<string, string | undefined>)[form] ?? entry.other;
  }
  if (!vars) return text;
  return text.replace(/\{(\w+)\}/g, (match, name: string) => (name in vars ? String(vars[name]) : match));
}
