/** Check-digit and prefix rules for national identifiers. */

const NHS_WEIGHTS = [10, 9, 8, 7, 6, 5, 4, 3, 2];

/** Modulus-11 check of a 10-digit NHS number (digits only). */
export function isValidNhsNumber(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  // A run of one digit passes the checksum but is a placeholder, never an issued number.
  if (/^(\d)\1{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * NHS_WEIGHTS[i];
  let check = 11 - (sum % 11);
  if (check === 11) check = 0;
  if (check === 10) return false;
  return check === digits.charCodeAt(9) - 48;
}

const NI_FIRST_FORBIDDEN = new Set(['D', 'F', 'I', 'Q', 'U', 'V']);
const NI_SECOND_FORBIDDEN = new Set(['D', 'F', 'I', 'O', 'Q', 'U', 'V']);
const NI_PREFIX_FORBIDDEN = new Set(['BG', 'GB', 'KN', 'NK', 'NT', 'TN', 'ZZ']);

/** HMRC prefix rules for a National Insurance number's two leading letters (upper case). */
export function isValidNiPrefix(prefix: string): boolean {
  if (!/^[A-Z]{2}$/.test(prefix)) return false;
  return (
    !NI_FIRST_FORBIDDEN.has(prefix[0]) &&
    !NI_SECOND_FORBIDDEN.has(prefix[1]) &&
    !NI_PREFIX_FORBIDDEN.has(prefix)
  );
}
