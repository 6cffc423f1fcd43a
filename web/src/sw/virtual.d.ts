declare module 'virtual:precache-manifest' {
  const entries: { url: string; revision: string | null }[];
  export default entries;
}
