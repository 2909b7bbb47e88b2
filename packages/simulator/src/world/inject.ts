/** Runs one scenario request against the world and returns the labels it produced. */
import type { GroundTruthLabel, ScenarioRequest } from './cloud.ts';
import type { TenantModel } from './model.ts';
import { createRandom } from './random.ts';
import type { ScenarioContext } from './scenarios/index.ts';
import { SCENARIOS, scenarioNamed } from './scenarios/index.ts';
import { invalidScenario } from './scenarios/context.ts';

export interface InjectArgs {
  readonly seed: number;
  readonly models: readonly TenantModel[];
  readonly request: ScenarioRequest;
  readonly at: number;
  /** Counts injections, so repeating a request yields a new attack, yet the same run gives the same one. */
  readonly injection: number;
  readonly model: (tenantId: string) => TenantModel;
}

export function runScenario(args: InjectArgs): GroundTruthLabel[] {
  const definition = scenarioNamed(args.request.scenario);
  if (!definition) {
    throw invalidScenario(
      `unknown scenario ${args.request.scenario}; known: ${SCENARIOS.map((s) => s.name).join(', ')}`,
    );
  }
  const rng = createRandom(`scenario:${args.seed}:${args.injection}:${definition.name}`);
  let model: TenantModel;
  if (args.request.tenantId !== undefined) {
    model = args.model(args.request.tenantId);
    if (definition.fits && !definition.fits(model)) {
      throw invalidScenario(`tenant ${args.request.tenantId} cannot host ${definition.name}: ${definition.summary}`);
    }
  } else {
    const usable = args.models.filter((m) => m.features.consented && (definition.fits?.(m) ?? true));
    model = rng.pick(usable.length > 0 ? usable : args.models);
  }
  const scenarioId = `${definition.name.replace('/', '-')}-${args.seed}-${args.injection}`;
  const labels: GroundTruthLabel[] = [];
  const context: ScenarioContext = {
    rng,
    model,
    models: args.models,
    at: args.at,
    params: args.request.params ?? {},
    label(input) {
      const target = input.model ?? model;
      labels.push({
        scenarioId,
        scenario: definition.name,
        expectedDetection: definition.detection,
        nearMiss: definition.detection === null,
        tenantId: target.tenant.id,
        entity: input.entity,
        eventIds: input.eventIds,
        at: args.at,
        ...(definition.mimics === undefined ? {} : { mimics: definition.mimics }),
      });
    },
  };
  definition.run(context);
  return labels;
}
