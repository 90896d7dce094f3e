import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { setBackend } from '../lib/backend';
import { mockBackend, type MockBackend } from '../lib/backend/mock';
import { app, loadSession } from '../lib/stores/session.svelte';
import People from './People.svelte';

let mock: MockBackend;
afterEach(cleanup);
const tick = () => new Promise((r) => setTimeout(r, 0));

beforeEach(async () => {
  mock = mockBackend();
  setBackend(mock);
  await mock.setupProfile({ name: '최관리', title: '부장', email: 'admin@newspim.com', role: 'admin' });
  await loadSession();
});

it('an admin sees the people, adds a reporter, and switches to that profile, who may not add', async () => {
  render(People);
  await tick();
  expect(screen.getAllByTestId('person').map((row) => row.dataset.email)).toEqual(['admin@newspim.com']);
  await fireEvent.input(screen.getByLabelText('이름'), { target: { value: '김기랑' } });
  await fireEvent.input(screen.getByLabelText('이메일'), { target: { value: 'rang@newspim.com' } });
  await fireEvent.change(screen.getByLabelText('역할'), { target: { value: 'reporter' } });
  await fireEvent.submit(screen.getByTestId('add-person-form'));
  await tick();
  await tick();
  expect(mock.calls.find((c) => c.name === 'addUser')?.args[0]).toEqual({ name: '김기랑', title: '기자', email: 'rang@newspim.com', role: 'reporter' });
  expect(screen.getAllByTestId('person').map((row) => row.dataset.email)).toEqual(['admin@newspim.com', 'rang@newspim.com']);
  expect(app.notice).toBe('김기랑 기자을(를) 추가했습니다');
  expect(screen.queryByTestId('people-refusal')).toBeNull();

  await fireEvent.click(screen.getByTestId('switch-person'));
  await tick();
  await tick();
  expect(app.session?.user?.email).toBe('rang@newspim.com');
  expect(screen.getByTestId('people-refusal').textContent).toContain('only an admin manages people');
  expect((screen.getByTestId('add-person') as HTMLButtonElement).closest('fieldset')?.disabled).toBe(true);
  expect(screen.getByTestId('current-person').closest('tr')?.dataset.email).toBe('rang@newspim.com');
});

it('shows the core\'s refusal when an add is refused', async () => {
  render(People);
  await tick();
  mock.user = { id: 9, name: '박데스크', title: '데스크', email: 'desk@newspim.com', role: 'editor' };
  await fireEvent.input(screen.getByLabelText('이름'), { target: { value: '김기랑' } });
  await fireEvent.input(screen.getByLabelText('이메일'), { target: { value: 'rang@newspim.com' } });
  await fireEvent.submit(screen.getByTestId('add-person-form'));
  await tick();
  expect(screen.getByTestId('people-error').textContent).toContain('only an admin manages people');
  expect(mock.users).toHaveLength(1);
});
