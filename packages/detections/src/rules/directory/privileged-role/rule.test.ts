import { describeRule } from '../../../testing/describe-rule.ts';
import { privilegedRole } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(privilegedRole, scenarios);
