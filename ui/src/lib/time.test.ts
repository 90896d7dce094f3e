import { expect, it } from 'vitest';
import { showInstant, showLocal } from './time';

it('shows instants in the newsroom zone like the seed page', () => {
  expect(showInstant('2025-02-20T06:09:00Z', 'Asia/Seoul')).toBe('2025년02월20일 15:09');
  expect(showInstant('2025-02-20T06:09:00Z', 'UTC')).toBe('2025년02월20일 06:09');
  expect(showInstant(null, 'Asia/Seoul')).toBe('');
});

it('writes a local date and time the way the app language does, whatever the system locale', () => {
  expect(showLocal('2026-12-01T12:30', 'ko')).toBe('2026. 12. 01. 12:30');
  expect(showLocal('2026-12-01T12:30', 'en')).toBe('12/01/2026, 12:30');
});
