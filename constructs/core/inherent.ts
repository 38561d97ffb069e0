/**
 * Owner and review date of the acknowledgments this library itself records for findings that
 * are inherent to a resource (an access-log bucket cannot log to itself, a replica is not
 * replicated again). Each is listed in README. The date is a review cadence: every release moves
 * it forward only after each of these is reviewed again, and an expired one fails `MLOps-AckExpired`.
 */
export const INHERENT = {
  owner: 'compliant-mlops maintainers',
  expires: '2027-12-31',
} as const;
