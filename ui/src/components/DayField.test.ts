import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { setBackend } from '../lib/backend';
import { mockBackend, type MockBackend } from '../lib/backend/mock';
import { setLanguage } from '../lib/i18n.svelte';
import { list } from '../lib/stores/list.svelte';
import ArticleList from './ArticleList.svelte';
import DayField from './DayField.svelte';

let mock: MockBackend;
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  mock = mockBackend();
  setBackend(mock);
  setLanguage('ko');
});

afterEach(() => {
  cleanup();
  setLanguage('ko');
});

it('shows a day the way the app language writes it and sends what is typed to the core', async () => {
  let changes = 0;
  render(DayField, { value: '2026-12-01', testid: 'day', onchange: () => changes++ });
  await tick();
  const field = screen.getByTestId('day') as HTMLInputElement;
  expect(field.type).toBe('text');
  expect(field.value).toBe('2026. 12. 01.');
  expect(field.placeholder).toBe('2025. 02. 20.');
  await fireEvent.input(field, { target: { value: '2026. 12. 02.' } });
  await fireEvent.change(field);
  await tick();
  expect(mock.calls.find((c) => c.name === 'toDay')?.args[0]).toBe('2026. 12. 02.');
  expect(field.value).toBe('2026. 12. 02.');
  expect(changes).toBe(1);
});

it('writes days month first in English, and says what is wrong with a day it cannot read', async () => {
  setLanguage('en');
  render(DayField, { value: '2026-12-01', testid: 'day' });
  await tick();
  const field = screen.getByTestId('day') as HTMLInputElement;
  expect(field.value).toBe('12/01/2026');
  await fireEvent.input(field, { target: { value: '어제' } });
  await fireEvent.change(field);
  await tick();
  expect(screen.getByRole('alert').textContent).toContain('어제');
  expect(field.getAttribute('aria-invalid')).toBe('true');
});

it('the list filters by days typed in Korean form, as the core reads them', async () => {
  render(ArticleList);
  await tick();
  const from = screen.getByTestId('filter-from') as HTMLInputElement;
  await fireEvent.input(from, { target: { value: '2025. 02. 20.' } });
  await fireEvent.change(from);
  await tick();
  expect(list.from).toBe('2025-02-20');
  expect(mock.calls.some((c) => c.name === 'toInstant' && c.args[0] === '2025-02-20T00:00')).toBe(true);
});
