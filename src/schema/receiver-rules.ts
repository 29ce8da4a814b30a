// Receiver address rules of a send, per platform: E.164 phone numbers (libphonenumber-js) and email addresses (ajv-formats).
//
// Bird addresses receivers by the channel's identifier key (bird-api.md §3.2): `phonenumber` in E.164 with `+` on
// SMS, WhatsApp, RCS and Viber, `emailaddress` on email; other platforms use keys of their own (`facebookid-…`,
// `applebc-…`) that we cannot check. The emulator applies the same rules with the same libraries
// (src/emulator/send-validation.ts), so its 422 paths map back onto the paths given here.
import { Ajv } from 'ajv';
import addFormatsModule from 'ajv-formats';
import { parsePhoneNumberWithError } from 'libphonenumber-js';
import { isPlatform } from './content-validate.ts';

/** The identifier keys Bird documents for addresses we can check. */
export const PHONE_KEY = 'phonenumber';
export const EMAIL_KEY = 'emailaddress';

/** Platforms whose receivers are phone numbers (bird-api.md §3.2, DOC:S25). */
const PHONE_PLATFORMS = ['sms', 'whatsapp', 'rcs', 'viber'] as const;

export type AddressKind = 'phone' | 'email';

/** What a channel's platform addresses receivers by, or null when it uses keys of its own. */
export function addressKindOf(platform: string): AddressKind | null {
  if (isPlatform(platform, 'email')) return 'email';
  return PHONE_PLATFORMS.some((name) => isPlatform(platform, name)) ? 'phone' : null;
}

const KEY_OF: Record<AddressKind, string> = { phone: PHONE_KEY, email: EMAIL_KEY };

/** The kind of address an identifier key names, or null for keys we cannot check. */
export function addressKindOfKey(key: string): AddressKind | null {
  if (key === PHONE_KEY) return 'phone';
  return key === EMAIL_KEY ? 'email' : null;
}

/**
 * Why `value` is not an E.164 phone number, or null. libphonenumber-js's default ("min") metadata checks the country
 * code, the length and the leading digits of each country's numbering plan; the full per-type patterns ("max") would
 * also refuse numbers in ranges a newer plan opened, which Bird may well deliver to. The value must already be in
 * E.164 form (`+`, country code, number, nothing else): Bird matches contacts by the exact string.
 */
export function phoneNumberProblem(value: string): string | null {
  const form = 'a phone number in E.164 form: `+`, the country code and the number, with no spaces, e.g. +31612345678';
  if (!value.startsWith('+')) return `Must be ${form}.`;
  let parsed;
  try {
    parsed = parsePhoneNumberWithError(value);
  } catch {
    return `Must be ${form}.`;
  }
  if (!parsed.isValid()) return `Not a valid phone number${parsed.country ? ` in ${parsed.country}` : ''}: must be ${form}.`;
  if (parsed.number !== value) return `Must be written in E.164 form: ${parsed.number}.`;
  return null;
}

// ajv-formats is CommonJS; depending on the loader its default import is the plugin or the module record.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ?? addFormatsModule) as typeof addFormatsModule;
const ajv = new Ajv();
addFormats(ajv, ['email']);
/**
 * ajv-formats' full `email` format (an ASCII local part of RFC 5322 atoms, a dotted domain of LDH labels), within the
 * RFC 5321 limits of 64 characters before the `@` and 254 in all. Internationalized addresses are refused.
 */
const isEmailFormat = ajv.compile({ type: 'string', format: 'email', maxLength: 254 });

/** Why `value` is not an email address Bird can send to, or null. */
export function emailAddressProblem(value: string): string | null {
  const at = value.lastIndexOf('@');
  if (!isEmailFormat(value) || at > 64) return 'Must be an email address such as ada@example.com.';
  return null;
}

const PROBLEM_OF: Record<AddressKind, (value: string) => string | null> = { phone: phoneNumberProblem, email: emailAddressProblem };

/** A receiver as both the graph's input and Bird's wire contact carry it (only the fields the rules read). */
export interface ReceiverAddress {
  identifierKey?: string | null;
  identifierValue?: string | null;
}

/**
 * The problems of one receiver on `platform`, each with the receiver field it concerns: an identifier key that the
 * channel cannot deliver to (an `emailaddress` on SMS, a `phonenumber` on email), and an identifier value that is not
 * an address of the key's kind (the channel's own kind when no key is given).
 */
export function receiverProblems(receiver: ReceiverAddress, platform: string): { field: 'identifierKey' | 'identifierValue'; message: string }[] {
  const channelKind = addressKindOf(platform);
  const key = receiver.identifierKey ?? null;
  const keyKind = key === null ? channelKind : addressKindOfKey(key);
  const problems: { field: 'identifierKey' | 'identifierValue'; message: string }[] = [];
  if (key !== null && channelKind !== null && keyKind !== null && keyKind !== channelKind) {
    problems.push({
      field: 'identifierKey',
      message: `A ${platform} channel sends to \`${KEY_OF[channelKind]}\` receivers, not \`${key}\`.`,
    });
    return problems;
  }
  const value = receiver.identifierValue;
  if (value !== null && value !== undefined && keyKind !== null) {
    const problem = PROBLEM_OF[keyKind](value);
    if (problem) problems.push({ field: 'identifierValue', message: problem });
  }
  return problems;
}
