/** The shapes of the codes the service accepts, written once (DTO validators and domain checks use these). */

/** A GP practice's ODS code: a capital letter then five digits, e.g. M88006. */
export const ODS_CODE = /^[A-Z][0-9]{5}$/;

/** An area's code: 2-40 lower-case letters, digits or hyphens, starting with a letter, e.g. sandwell. */
export const AREA_CODE = /^[a-z][a-z0-9-]{1,39}$/;
