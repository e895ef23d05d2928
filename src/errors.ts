/**
 * The errors that mean a command was asked for wrongly (exit status 2): all are UsageErrors. They
 * live apart from the modules that throw them so that the command line can recognise them without
 * loading those modules (and their libraries) up front.
 */

/** A problem with how the job was asked for. */
export class UsageError extends Error {}

/** A request file that cannot be read or is not valid; `problems` name fields, never values. */
export class RequestError extends UsageError {
  constructor(readonly problems: string[]) {
    super(`invalid request:\n${problems.map((p) => `  - ${p}`).join('\n')}`);
  }
}

/** An argument that cannot be used as given: a key, a recipient, a path. */
export class ArgumentError extends UsageError {}

/** `dsr detect`: an --input that cannot be read. */
export class InputError extends UsageError {}
