// Data files embedded as text by the build (esbuild's text loader) and by the test register hook.
declare module '*.yaml' {
  const text: string;
  export default text;
}
