import { expect, it } from 'vitest';
import { showInstant } from './time';

it('shows instants in the newsroom zone like the seed page', () => {
  expect(showInstant('2025-02-20T06:09:00Z', 'Asia/Seoul')).toBe('2025년02월20일 15:09');
  expect(showInstant('2025-02-20T06:09:00Z', 'UTC')).toBe('2025년02월20일 06:09');
  expect(showInstant(null, 'Asia/Seoul')).toBe('');
});
