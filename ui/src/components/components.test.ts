import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { setBackend } from '../lib/backend';
import { emptyContent, mockBackend, type MockBackend } from '../lib/backend/mock';
import { app } from '../lib/stores/session.svelte';
import { list } from '../lib/stores/list.svelte';
import { editor, openArticle } from '../lib/stores/editor.svelte';
import ArticleList from './ArticleList.svelte';
import Setup from './Setup.svelte';
import StatusBadge from './StatusBadge.svelte';
import WorkflowBar from './WorkflowBar.svelte';
import Conflict from './Conflict.svelte';

let mock: MockBackend;

beforeEach(() => {
  mock = mockBackend();
  setBackend(mock);
  list.query = '';
});

afterEach(() => cleanup());

describe('components', () => {
  it('shows a status as a Korean badge', () => {
    render(StatusBadge, { status: 'scheduled' });
    expect(screen.getByText('예약').dataset.status).toBe('scheduled');
  });

  it('first-run setup adds the profile and the outlet', async () => {
    app.session = await mock.session();
    app.session.newsroom.outlet = '';
    render(Setup);
    await fireEvent.input(screen.getByLabelText('이름'), { target: { value: '김기랑' } });
    await fireEvent.input(screen.getByLabelText('이메일'), { target: { value: 'rang@newspim.com' } });
    await fireEvent.input(screen.getByLabelText('매체 이름 (기사 첫머리에 표시)'), { target: { value: '뉴스핌' } });
    await fireEvent.click(screen.getByTestId('setup-start'));
    await new Promise((r) => setTimeout(r, 0));
    expect(mock.calls.find((c) => c.name === 'setupProfile')?.args[0]).toEqual({ name: '김기랑', title: '기자', email: 'rang@newspim.com', role: 'reporter' });
    expect((mock.calls.find((c) => c.name === 'setNewsroom')?.args[0] as { outlet: string }).outlet).toBe('뉴스핌');
  });

  it('lists articles with highlighted search snippets', async () => {
    app.session = await mock.session();
    await mock.create({ ...emptyContent(), headline: '중진공-일본 CMIC', body: '업무협약' });
    render(ArticleList);
    await new Promise((r) => setTimeout(r, 0));
    expect(await screen.findByText('중진공-일본 CMIC')).toBeTruthy();
    list.query = '협약';
    await fireEvent.input(screen.getByTestId('search'), { target: { value: '협약' } });
    await new Promise((r) => setTimeout(r, 250));
    expect(document.querySelector('mark')?.textContent).toBe('협약');
  });

  it('disables workflow buttons the core refuses, with its reason', async () => {
    const article = await mock.create(emptyContent());
    await openArticle(article.id);
    render(WorkflowBar);
    const publish = screen.getByTestId('action-publish') as HTMLButtonElement;
    expect(publish.disabled).toBe(true);
    expect(publish.title).toContain('you are reporter');
    expect((screen.getByTestId('action-submit') as HTMLButtonElement).disabled).toBe(false);
    expect(editor.view?.article.id).toBe(article.id);
  });

  it('shows publish or schedule and asks for a note as the core says, asking it again when the embargo changes', async () => {
    const article = await mock.create(emptyContent());
    await openArticle(article.id);
    app.session = { ...(await mock.session()), now: '2030-01-01T00:00:00Z' };
    mock.schedules = true;
    editor.draft!.embargo = '2025-02-20T07:00:00Z';
    render(WorkflowBar);
    await new Promise((r) => setTimeout(r, 0));
    expect(mock.calls.some((c) => c.name === 'actions' && c.args[1] === '2025-02-20T07:00:00Z')).toBe(true);
    expect(screen.getByTestId('action-publish').textContent).toBe('예약 출고');
    expect(screen.queryByTestId('action-note')).toBeNull();
    mock.schedules = false;
    editor.draft!.embargo = null;
    await new Promise((r) => setTimeout(r, 0));
    expect(screen.getByTestId('action-publish').textContent).toBe('출고');
  });

  it('asks for a note exactly when the core says the action takes one', async () => {
    const article = await mock.create(emptyContent());
    const offered = mock.offered;
    mock.offered = (a) => offered(a).map((state) => (state.action === 'submit' ? { ...state, note: 'required' } : state));
    await openArticle(article.id);
    render(WorkflowBar);
    await new Promise((r) => setTimeout(r, 0));
    await fireEvent.click(screen.getByTestId('action-submit'));
    expect((screen.getByTestId('action-note') as HTMLInputElement).required).toBe(true);
    expect(mock.calls.some((c) => c.name === 'act')).toBe(false);
  });

  it('shows in a conflict the fields the core finds different, theirs against mine', async () => {
    const article = await mock.create({ ...emptyContent(), headline: '같은 제목' });
    await openArticle(article.id);
    mock.fieldChanges = [{ field: 'related', before: '3', after: '3, 7', segments: [] }];
    const mine = { ...emptyContent(), headline: '같은 제목', related: [3, 7] };
    editor.conflict = { mine, theirs: { ...article, content: { ...mine, related: [3] } }, current: article.head, merged: null, author: null, picks: [], edits: 0, error: '' };
    render(Conflict);
    await new Promise((r) => setTimeout(r, 0));
    const call = mock.calls.find((c) => c.name === 'compareContents');
    expect(call?.args).toEqual([{ ...mine, related: [3] }, mine]);
    expect(screen.getByTestId('conflict-mine').textContent).toBe('3, 7');
    expect(screen.getByTestId('conflict-theirs').textContent).toBe('3');
    expect(screen.getAllByText('관련 기사', { selector: 'h4' })).toHaveLength(2);
    editor.conflict = null;
  });
});
