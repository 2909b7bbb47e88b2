import { describeRule } from '../../../testing/describe-rule.ts';
import { riskyConsent } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(riskyConsent, scenarios);
