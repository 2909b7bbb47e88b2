import { listSettings } from './settings.ts';

/**
 * pino `redact` paths. Secret settings are `Secret` objects that serialise as
 * `***` anyway; these paths also cover credentials that travel as plain
 * strings through HTTP clients and provider payloads.
 */
export function redactPaths(): string[] {
  const fromSchema = listSettings()
    .filter((setting) => setting.secret)
    .map((setting) => `config.${setting.path}`);
  return [
    ...fromSchema,
    'password',
    'secret',
    'clientSecret',
    'accessToken',
    'token',
    '*.password',
    '*.secret',
    '*.clientSecret',
    '*.client_secret',
    '*.accessToken',
    '*.access_token',
    '*.token',
    '*.botToken',
    '*.webhookUrl',
    'req.headers.authorization',
    'req.headers["x-api-key"]',
    'headers.authorization',
  ];
}
