import { describeRule } from '../../../testing/describe-rule.ts';
import { countryWithoutPresence } from './rule.ts';
import { scenarios } from './scenarios.ts';

describeRule(countryWithoutPresence, scenarios);
