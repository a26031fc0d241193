export { AppConfig, type RuntimeEnv } from './app-config.js';
export { ConfigError, loadConfig, type ConfigProblem } from './load-config.js';
export { ConfigModule } from './config.module.js';
