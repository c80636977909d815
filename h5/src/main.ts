import { createApp } from 'vue'
import { createPinia } from 'pinia'
import App from './App.vue'
import { router } from './router'
import './styles.css'
// Function-style Vant APIs (showToast, showDialog…) are not components: their CSS is imported here once.
import 'vant/es/toast/style'
import 'vant/es/dialog/style'
import 'vant/es/notify/style'
import 'vant/es/image-preview/style'

createApp(App).use(createPinia()).use(router).mount('#app')
