import { defineConfig } from 'vite'
import vue from '@vitejs/plugin-vue'
import Components from 'unplugin-vue-components/vite'
import AutoImport from 'unplugin-auto-import/vite'
import { VantResolver } from '@vant/auto-import-resolver'
import pxToViewport from 'postcss-px-to-viewport-8-plugin'

// Vant is imported per component (its CSS too) through the resolver; px → vw at a 375 design width,
// Vant's own CSS included, so every page fits any phone width.
export default defineConfig({
  plugins: [
    vue(),
    AutoImport({ resolvers: [VantResolver()], dts: false }),
    Components({ resolvers: [VantResolver()], dts: false }),
  ],
  css: {
    postcss: {
      plugins: [pxToViewport({ viewportWidth: 375, unitPrecision: 4, minPixelValue: 1, exclude: [] })],
    },
  },
  build: { target: 'es2019', chunkSizeWarningLimit: 300 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000' } },
  test: { environment: 'happy-dom' },
})
