import { describeRule } from '../../../testing/describe-rule.ts';
import { inboxRuleForwarding } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(inboxRuleForwarding, scenarios);
