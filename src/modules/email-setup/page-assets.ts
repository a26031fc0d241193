import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

export interface PageAsset {
  body: Buffer;
  type: string;
}

/**
 * The page's static files, read once at start from `page/` beside this file (copied into dist
 * by the build). Assets are addressed under a version made from their contents, so browsers may
 * keep them for a year and a new build is fetched at once.
 */
export class PageAssets {
  readonly version: string;
  private readonly files = new Map<string, PageAsset>();
  private readonly html: string;

  constructor(dir = fileURLToPath(new URL('./page/', import.meta.url))) {
    const hash = createHash('sha256');
    for (const path of listFiles(dir)) {
      const name = relative(dir, path).split(sep).join('/');
      const body = readFileSync(path);
      hash.update(name).update(body);
      const type = TYPES[extname(name)];
      if (type) this.files.set(name, { body, type });
    }
    this.html = readFileSync(join(dir, 'index.html'), 'utf8');
    this.version = hash.digest('hex').slice(0, 12);
  }

  /** The page with its asset URLs pointing at this version. */
  page(assetBase: string): string {
    return this.html.replaceAll('{{assets}}', `${assetBase}/${this.version}`);
  }

  asset(name: string): PageAsset | undefined {
    return this.files.get(name);
  }
}

function listFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name))
    .sort();
}
