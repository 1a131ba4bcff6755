/** The shapes of the codes the service accepts, written once (DTO validators and domain checks use these). */

/** A GP practice's ODS code: a capital letter then five digits, e.g. M88006. */
export const ODS_CODE = /^[A-Z][0-9]{5}$/;

/** An area's code: 2-40 lower-case letters, digits or hyphens, starting with a letter, e.g. sandwell. */
export const AREA_CODE = /^[a-z][a-z0-9-]{1,39}$/;

/**
 * Characters a displayed name must not contain: control characters (C0, DEL, C1) and the
 * bidirectional marks, embeddings, overrides and isolates that can make a name read as another
 * (U+061C, U+200E–U+200F, U+202A–U+202E, U+2066–U+2069).
 */
// eslint-disable-next-line no-control-regex -- matching control characters is the point
export const UNSAFE_NAME_CHARACTERS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u;
