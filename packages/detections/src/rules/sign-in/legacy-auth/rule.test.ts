import { describeRule } from '../../../testing/describe-rule.ts';
import { legacyAuth } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(legacyAuth, scenarios);
