// YAML data files, parsed at build time and embedded as the data they hold (src/build.ts; the test register hook
// does the same). Their shape is checked where they are used.
declare module '*.yaml' {
  const data: unknown;
  export default data;
}
