import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import './styles.css'
import './styles/elder.css'
import { useElder } from './stores/elder'
import { installA11y } from './composables/a11y'
// Function-style Vant APIs (showToast, showDialog…) are not components: their CSS is imported here once.
import 'vant/es/toast/style'
import 'vant/es/dialog/style'
import 'vant/es/notify/style'
import 'vant/es/image-preview/style'

const pinia = createPinia()
// Before the first render: a remembered 长辈版 must not flash small first.
useElder(pinia)
installA11y()
createApp(App).use(pinia).use(router).mount('#app')
