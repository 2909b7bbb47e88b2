import type { Logger } from 'pino';
import type { ReadinessCheck, Role } from './role.ts';

export type RuntimeState = 'idle' | 'starting' | 'running' | 'stopping' | 'stopped' | 'failed';

/**
 * Starts roles in order and stops them in reverse. A role that fails to start
 * stops the ones already started, so a half-started process never stays up.
 */
export class RoleRunner {
  readonly #roles: readonly Role[];
  readonly #log: Logger;
  #started: Role[] = [];
  #state: RuntimeState = 'idle';

  constructor(roles: readonly Role[], log: Logger) {
    this.#roles = roles;
    this.#log = log;
  }

  get state(): RuntimeState {
    return this.#state;
  }

  async start(): Promise<void> {
    this.#state = 'starting';
    for (const role of this.#roles) {
      const began = Date.now();
      try {
        await role.start();
      } catch (error) {
        this.#state = 'failed';
        this.#log.error({ err: error, role: role.name }, 'role failed to start; stopping the others');
        await this.stop();
        this.#state = 'failed';
        throw error;
      }
      this.#started.push(role);
      this.#log.info({ role: role.name, ms: Date.now() - began }, 'role started');
    }
    this.#state = 'running';
  }

  async stop(): Promise<void> {
    if (this.#state !== 'failed') this.#state = 'stopping';
    for (const role of [...this.#started].reverse()) {
      try {
        await role.stop();
        this.#log.info({ role: role.name }, 'role stopped');
      } catch (error) {
        this.#log.error({ err: error, role: role.name }, 'role did not stop cleanly');
      }
    }
    this.#started = [];
    if (this.#state !== 'failed') this.#state = 'stopped';
  }

  readiness(): ReadinessCheck[] {
    const own: ReadinessCheck = { name: 'runtime', ok: this.#state === 'running', detail: this.#state };
    return [
      own,
      ...this.#started.flatMap((role) =>
        role.readiness().map((check) => ({ ...check, name: `${role.name}.${check.name}` })),
      ),
    ];
  }
}
