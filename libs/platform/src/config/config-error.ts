/** A setting the process cannot start with (the start exits 2 with its message). */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}
