import type { MicrosoftRecord, SignInKind, World } from '@nightjar/simulator';

export interface RecordedSignIn {
  readonly record: MicrosoftRecord;
  readonly kind: SignInKind;
  readonly tenantId: string;
}

/** Every sign-in, interactive and not, that the world's tenants have recorded so far. */
export function worldSignIns(world: World): RecordedSignIn[] {
  return world
    .tenants()
    .flatMap((tenant) =>
      (['interactive', 'nonInteractive'] as const).flatMap((kind) =>
        world.signIns(tenant.id, kind).map((record) => ({ record, kind, tenantId: tenant.id })),
      ),
    );
}
