import { describeRule } from '../../../testing/describe-rule.ts';
import { inboxRuleHiding } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(inboxRuleHiding, scenarios);
