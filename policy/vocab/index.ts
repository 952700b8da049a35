// The vocabulary the program and the pack share: label keys and grammar, Kubernetes quantities, image references and
// secret detection. Pure TypeScript that imports nothing outside this folder, so the pack publishes on its own and the
// program's config check refuses exactly what the pack would.
export * from "./imageReference";
export * from "./labels";
export * from "./quantity";
export * from "./secretHeaders";
export * from "./secretNames";
export * from "./secretReferences";
export * from "./secretValues";
