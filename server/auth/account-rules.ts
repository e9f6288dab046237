import { MIN_PASSWORD_LENGTH } from './passwords.ts';

/** Usernames: the same rule as the users table's check constraint. */
export const USERNAME_PATTERN = /^[A-Za-z0-9._-]{2,64}$/;
export const USERNAME_RULE = 'a username is 2–64 letters, digits, ".", "_" or "-"';
/** Longer passwords only cost scrypt time; nobody types more. */
export const MAX_PASSWORD_LENGTH = 1024;

/** Why a new password is refused, or undefined when it is acceptable (user:add, admins, the user's own change). */
export function passwordProblem(username: string, password: string): string | undefined {
  const length = Array.from(password).length;
  if (length < MIN_PASSWORD_LENGTH) return `the password must have at least ${MIN_PASSWORD_LENGTH} characters`;
  if (length > MAX_PASSWORD_LENGTH) return `the password may have at most ${MAX_PASSWORD_LENGTH} characters`;
  if (password.trim().toLowerCase() === username.trim().toLowerCase()) return 'the password must not be the username';
  return undefined;
}

/** Display names: what others see of an account instead of its username. */
export const MAX_DISPLAY_NAME_LENGTH = 64;
// One character class, no repetition: linear on any input. Control, format (bidi overrides, zero-width),
// line / paragraph separators and lone surrogates: none has a place in a name shown to others.
const UNSHOWABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

/** Why a display name (already trimmed) is refused, or undefined when it is acceptable. */
export function displayNameProblem(name: string): string | undefined {
  const length = Array.from(name).length;
  if (length < 1) return 'the display name must not be empty';
  if (length > MAX_DISPLAY_NAME_LENGTH)
    return `the display name may have at most ${MAX_DISPLAY_NAME_LENGTH} characters`;
  if (UNSHOWABLE.test(name)) return 'the display name must not contain control or invisible formatting characters';
  return undefined;
}
