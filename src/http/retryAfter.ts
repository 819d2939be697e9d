// Retry-After carries whole seconds; the bodies that say when to look again carry milliseconds (poll_after_ms).
/** The header's value for a wait of `ms`: rounded up, so a client never comes back before it was told to. */
export const retryAfterSeconds = (ms: number): string => String(Math.ceil(ms / 1000));
