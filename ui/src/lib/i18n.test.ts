import { describe, expect, it } from 'vitest';
import ko from '../messages/ko.json';
import en from '../messages/en.json';
import { i18n, setLanguage, t } from './i18n.svelte';

describe('message catalogue', () => {
  it('has the same keys in Korean and English', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(ko).sort());
  });

  it('fills parameters and switches language', () => {
    setLanguage('ko');
    expect(t('editor.pages', { count: 3 })).toBe('원고지 3매');
    setLanguage('en');
    expect(i18n.language).toBe('en');
    expect(t('editor.pages', { count: 3 })).toBe('3 manuscript pages');
    setLanguage('ko');
  });
});
