import { FluentProvider } from '@fluentui/react-components';
import { StrictMode } from 'react';
import { createRoot } from './react-root';
import { App } from './App';
import { askFirstScreenData } from './screens/Start';
import 'virtual:fluent-theme.css';
import './index.css';

const root = document.getElementById('root');
if (!root) throw new Error('index.html has no #root element');

askFirstScreenData(); // main answers while the first screen renders (issue 23)

createRoot(root).render(
  <StrictMode>
    {/* No theme prop: the theme's variables are on :root, from virtual:fluent-theme.css (renderer/vite.config.ts). */}
    <FluentProvider style={{ height: '100%' }}>
      <App />
    </FluentProvider>
  </StrictMode>,
);
