/** The injection token of the console's validated configuration (WebConfig). */
export const WEB_CONFIG = Symbol('WEB_CONFIG');
