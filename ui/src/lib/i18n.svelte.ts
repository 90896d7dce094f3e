// One message catalogue, Korean first: `t('editor.save')`, with `{name}` parameters.
import ko from '../messages/ko.json';
import en from '../messages/en.json';

export type MessageKey = keyof typeof ko;
export type Language = 'ko' | 'en';

const catalogues: Record<Language, Record<MessageKey, string>> = { ko, en };

export const i18n = $state({ language: 'ko' as Language });

export function setLanguage(language: string | null | undefined): void {
  i18n.language = language === 'en' ? 'en' : 'ko';
  if (typeof document !== 'undefined') document.documentElement.lang = i18n.language;
}

export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = catalogues[i18n.language][key] ?? catalogues.ko[key] ?? key;
  return text.replace(/\{(\w+)\}/g, (_, name) => (name in params ? String(params[name]) : `{${name}}`));
}

/// A content field's name as the core reports it (`headline`, `body`, ...), in the UI language.
export function fieldName(field: string): string {
  const key = `field.${field}` as MessageKey;
  return key in catalogues.ko ? t(key) : field;
}
