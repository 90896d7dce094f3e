// What a failed sign-in to a newsroom server means to the person, by the error's code.
import { errorCode, errorMessage } from './backend';
import { t } from './i18n.svelte';

export function serverError(error: unknown): string {
  const detail = errorMessage(error);
  switch (errorCode(error)) {
    case 'unavailable':
      // A certificate the computer does not trust also ends here; the detail names it.
      return /certificate|tls|handshake/i.test(detail) ? t('server.tls', { detail }) : t('server.unreachable', { detail });
    case 'not_signed_in':
    case 'refused':
    case 'unknown_user':
      return t('server.wrongPassword');
    case 'too_many_attempts':
      return t('server.tooMany', { detail });
    case 'invalid':
      return t('server.badAddress', { detail });
    default:
      return detail;
  }
}
