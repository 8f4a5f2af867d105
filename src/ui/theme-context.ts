/** The theme as React context: what <Row> reads. The themes themselves (theme.ts) need no React. */
import { createContext, useContext } from 'react';
import { COLOR_THEME, type Theme } from './theme.js';

export const ThemeContext = createContext<Theme>(COLOR_THEME);

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
