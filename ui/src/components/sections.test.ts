import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { setBackend } from '../lib/backend';
import { emptyContent, mockBackend, type MockBackend } from '../lib/backend/mock';
import { editor, openArticle } from '../lib/stores/editor.svelte';
import Fields from './Fields.svelte';

let mock: MockBackend;
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(() => {
  mock = mockBackend();
  setBackend(mock);
});

afterEach(() => cleanup());

it('offers the sections the core offers, in its order, and takes a new section typed as a path', async () => {
  mock.sectionPaths = ['정치', '경제 > 경제일반', '문화'];
  const article = await mock.create(emptyContent());
  await openArticle(article.id);
  let edits = 0;
  render(Fields, { draft: editor.draft!, onchange: () => edits++ });
  await tick();
  const offered = [...document.querySelectorAll('#sections option')].map((option) => (option as HTMLOptionElement).value);
  expect(offered).toEqual(['정치', '경제 > 경제일반', '문화']);
  expect(screen.getByTestId('section').getAttribute('list')).toBe('sections');
  await fireEvent.input(screen.getByTestId('section'), { target: { value: '문화 > 공연 >' } });
  expect(editor.draft!.section).toEqual(['문화', '공연']);
  expect(edits).toBeGreaterThan(0);
});

it('shows the embargo in the app language, not the system locale, and sends what is typed to the core', async () => {
  const article = await mock.create({ ...emptyContent(), embargo: '2026-12-01T12:30:00Z' });
  await openArticle(article.id);
  render(Fields, { draft: editor.draft!, onchange: () => {} });
  await tick();
  const field = screen.getByTestId('embargo') as HTMLInputElement;
  expect(field.type).toBe('text');
  expect(field.value).toBe('2026. 12. 01. 12:30');
  await fireEvent.input(field, { target: { value: '2026. 12. 02. 09:00' } });
  await fireEvent.change(field);
  await tick();
  expect(mock.calls.find((c) => c.name === 'toInstant')?.args[0]).toBe('2026. 12. 02. 09:00');
});
