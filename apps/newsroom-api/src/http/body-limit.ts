/** Bodies larger than this are refused with 413 before they are parsed: HTTP's and NATS's alike. */
export const BODY_LIMIT_BYTES = 256 * 1024;
