import { defineConfig } from 'vite';

// The chat widget: two small self-contained scripts for dist/widget, built one at a time
// (`vite build --config web/widget/vite.config.ts --mode loader|frame`) because each must be a
// single classic script: the loader runs on other sites' pages, where it may leave no globals.
const widgetRoot = decodeURIComponent(new URL('.', import.meta.url).pathname);
const ENTRIES: Record<string, string> = { loader: 'loader.ts', frame: 'frame/main.ts' };

export default defineConfig(({ mode }) => {
  const entry = ENTRIES[mode];
  if (!entry) throw new Error(`web/widget/vite.config.ts: --mode must be one of ${Object.keys(ENTRIES).join(', ')}`);
  return {
    root: widgetRoot,
    publicDir: false,
    logLevel: 'warn',
    build: {
      outDir: '../../dist/widget',
      emptyOutDir: false,
      target: 'es2020',
      sourcemap: false,
      minify: true,
      copyPublicDir: false,
      lib: { entry: `${widgetRoot}${entry}`, formats: ['iife'], name: `BatonChat_${mode}`, fileName: () => `${mode}.js` },
    },
  };
});
