/** The pack's own token (see ./index.ts). */

/**
 * A type no resource has: a policy that only declares findings other policies send
 * (`policy-exemptions-applied`) names it as the one type it applies to, so the policy server
 * skips it on every stack instead of unmarshalling the stack for a check with nothing to do.
 */
export const NO_RESOURCE_TYPE = "e2etls:pack:NoResource";
