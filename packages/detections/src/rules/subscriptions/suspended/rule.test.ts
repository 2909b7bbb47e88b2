import { describeRule } from '../../../testing/describe-rule.ts';
import { subscriptionSuspended } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(subscriptionSuspended, scenarios);
