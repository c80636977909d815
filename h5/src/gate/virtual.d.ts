/** URL of qr-scanner's decoder worker emitted as a file of the build; null in the dev server. */
declare module 'virtual:qr-worker-url' {
  const url: string | null
  export default url
}
