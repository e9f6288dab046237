/** A file refused for what it is or holds: answered 400 with this message; nothing is written. */
export class ImportRefused extends Error {}
