/** Injection token of the OIDC settings (`OidcSettings`, or null when OIDC sign-in is off). */
export const OIDC_SETTINGS = Symbol('OIDC_SETTINGS');
