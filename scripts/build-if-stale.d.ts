/** Types of build-if-stale.js, for the tests that import it. */
export declare const STAMP: string;
export declare const OUTPUTS: readonly string[];
export declare function staleReason(root: string): string | undefined;
export declare function ensureBuilt(options?: { root?: string; force?: boolean }): boolean;
/** The lock file a build of `root` holds (its owner's pid inside). */
export declare function lockFile(root: string): string;
