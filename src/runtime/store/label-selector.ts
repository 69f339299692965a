import { ValidationError } from '../../errors.js';
import { LabelSelectorSyntaxError, parseLabelSelector as parseSelector, type LabelSelector } from '../../label-selector.js';

export type { LabelSelector };

/** Parses the string form of a label selector the way the API server does. '' matches everything. */
export function parseLabelSelector(selector: string): LabelSelector {
  try {
    return parseSelector(selector);
  } catch (error) {
    if (!(error instanceof LabelSelectorSyntaxError)) throw error;
    throw new ValidationError(`label selector "${selector}" is invalid: ${error.reason}`, {
      hint: "use comma-separated requirements such as 'app=web,tier!=db,env in (prod,staging),!legacy'",
      cause: error,
    });
  }
}
