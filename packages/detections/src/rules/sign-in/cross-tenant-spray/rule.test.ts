import { describeRule } from '../../../testing/describe-rule.ts';
import { crossTenantSpray } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(crossTenantSpray, scenarios);
