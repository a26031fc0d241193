/** One invalid or missing setting, named by its environment variable. */
export interface ConfigProblem {
  variable: string;
  message: string;
}

/** Every configuration problem found at startup, listed at once. */
export class ConfigError extends Error {
  constructor(readonly problems: ConfigProblem[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((p) => `  - ${p.variable}: ${p.message}`).join('\n'),
    );
    this.name = 'ConfigError';
  }
}
