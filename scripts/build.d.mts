// Types of scripts/build.mjs (plain JavaScript, so `npm start` runs it without a TypeScript loader).
export declare const ROOT: string;
export declare const BUNDLE: string;
export declare function build(): Promise<void>;
export declare function bundleState(): 'missing' | 'stale' | null;

/** esbuild's options for dist/server.mjs. */
export declare const BUILD_OPTIONS: Readonly<{ target: string; outfile: string; entryPoints: readonly string[] }>;
