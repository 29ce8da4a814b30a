// Reads what a storage upload form's signed S3-style policy allows (the largest file), without trusting it further.

/** The `max` of an S3-style policy's `["content-length-range", min, max]`, when the policy is readable; else null. */
export function policyMaxSize(policy: string | undefined): number | null {
  if (policy === undefined || policy.length > 64 * 1024) return null;
  try {
    const parsed = JSON.parse(Buffer.from(policy, 'base64').toString('utf8')) as { conditions?: unknown };
    if (!Array.isArray(parsed.conditions)) return null;
    for (const condition of parsed.conditions) {
      if (Array.isArray(condition) && condition[0] === 'content-length-range') {
        const max = condition[2];
        return typeof max === 'number' && Number.isSafeInteger(max) && max >= 0 && max <= 2 ** 31 - 1 ? max : null;
      }
    }
  } catch {
    return null;
  }
  return null;
}
