// node-forge ships no type declarations; the tests use only its certificate builder.
declare module 'node-forge' {
  const forge: any;
  export default forge;
}
