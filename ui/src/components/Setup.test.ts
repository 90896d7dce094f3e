import { cleanup, fireEvent, render, screen } from '@testing-library/svelte';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { setBackend } from '../lib/backend';
import { mockBackend, type MockBackend } from '../lib/backend/mock';
import { app, loadSession } from '../lib/stores/session.svelte';
import { live } from '../lib/stores/live.svelte';
import Setup from './Setup.svelte';
import Header from './Header.svelte';

let mock: MockBackend;
afterEach(cleanup);
const tick = () => new Promise((r) => setTimeout(r, 0));
const reporter = { id: 1, name: '김기랑', title: '기자', email: 'rang@newspim.com', role: 'reporter' as const };

beforeEach(async () => {
  mock = mockBackend();
  setBackend(mock);
  mock.users = [reporter];
  await loadSession();
});

async function signIn(address: string, password: string) {
  await fireEvent.click(screen.getByTestId('place-server'));
  await fireEvent.input(screen.getByTestId('server-address'), { target: { value: address } });
  await fireEvent.input(screen.getByTestId('server-email'), { target: { value: 'rang@newspim.com' } });
  await fireEvent.input(screen.getByTestId('server-password'), { target: { value: password } });
  await fireEvent.submit(screen.getByTestId('server-form'));
  await tick();
  await tick();
}

it('offers this computer or a newsroom server, and says plainly why a sign-in failed', async () => {
  render(Setup);
  expect(screen.getByTestId('place-local').getAttribute('aria-pressed')).toBe('true');
  expect(screen.queryByTestId('server-form')).toBeNull();
  await signIn('http://127.0.0.1:7700', 'wrong password');
  expect(screen.getByTestId('setup-error').textContent).toContain('비밀번호가 틀렸습니다');
  await signIn('desk.example.com', 'right password');
  expect(screen.getByTestId('setup-error').textContent).toContain('https://');
  expect(app.session?.mode).toBe('local');
});

it('signs in to the server, and the header then names it, says it answers, and signs out in one click', async () => {
  render(Setup);
  await signIn('http://127.0.0.1:7700', 'right password');
  expect(mock.calls.find((c) => c.name === 'signInServer')?.args).toEqual(['http://127.0.0.1:7700', 'rang@newspim.com', 'right password']);
  expect(app.session?.mode).toBe('server');
  expect(app.session?.user?.email).toBe('rang@newspim.com');
  cleanup();
  app.screen = 'list';
  live.online = true;
  render(Header);
  expect(screen.getByTestId('library-place').textContent).toContain('서버 · 127.0.0.1:7700');
  expect(screen.getByTestId('server-status').textContent?.trim()).toBe('연결됨');
  expect(screen.queryByTestId('menu-open')).toBeNull();
  live.online = false;
  await tick();
  expect(screen.getByTestId('server-status').textContent?.trim()).toBe('오프라인');
  await fireEvent.click(screen.getByTestId('sign-out'));
  await tick();
  await tick();
  expect(mock.calls.some((c) => c.name === 'signOut')).toBe(true);
  expect(app.screen).toBe('setup');
});
