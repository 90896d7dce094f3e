import { beforeEach, expect, it, vi } from 'vitest';
import { setBackend } from '../backend';
import { emptyContent, mockBackend, type MockBackend } from '../backend/mock';
import { list, move, refresh } from './list.svelte';

let mock: MockBackend;

beforeEach(async () => {
  mock = mockBackend();
  setBackend(mock);
  list.query = '';
  await mock.create({ ...emptyContent(), headline: '첫 기사', body: '업무협약을 맺었다' });
  await mock.create({ ...emptyContent(), headline: '둘째 기사', body: '날씨' });
});

it('lists newest first and moves the selection with the keyboard', async () => {
  await refresh();
  expect(list.rows.map((r) => r.headline)).toEqual(['둘째 기사', '첫 기사']);
  expect(list.total).toBe(2);
  move(1);
  move(1);
  expect(list.selected).toBe(1);
  move(-5);
  expect(list.selected).toBe(0);
});

it('searches when there is a query and keeps the snippets', async () => {
  list.query = '협약';
  await refresh();
  expect(list.rows.map((r) => r.headline)).toEqual(['첫 기사']);
  expect(list.snippets[list.rows[0].id][0]).toEqual({ text: '협약', hit: true });
  const search = mock.calls.find((c) => c.name === 'search')!;
  expect(search.args[0]).toBe('협약');
});

it('marks rows that are the server\'s last list kept on this computer, until a live list replaces them', async () => {
  await refresh();
  const rows = [...list.rows];
  vi.spyOn(mock, 'list').mockResolvedValueOnce({ total: 2, articles: rows, kept_at: '2025-02-20T06:09:00Z' });
  await refresh();
  expect(list.keptAt).toBe('2025-02-20T06:09:00Z');
  expect(list.rows.map((r) => r.headline)).toEqual(['둘째 기사', '첫 기사']);
  await refresh();
  expect(list.keptAt).toBeNull();
  list.query = '협약';
  await refresh();
  expect(list.keptAt).toBeNull();
});
