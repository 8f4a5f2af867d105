import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cursorUserDir, resolveAntigravityDirs, resolveCursorCliDir, resolveCursorDir } from '../src/paths.js';

describe('Cursor and Antigravity locations', () => {
  it.each([
    ['linux', { HOME: '/home/ada' }, '/home/ada/.config/Cursor/User'],
    ['linux', { HOME: '/home/ada', XDG_CONFIG_HOME: '/xdg' }, '/xdg/Cursor/User'],
    ['linux', { HOME: '/home/ada', XDG_CONFIG_HOME: 'relative' }, '/home/ada/.config/Cursor/User'],
    ['darwin', { HOME: '/Users/ada' }, '/Users/ada/Library/Application Support/Cursor/User'],
    ['win32', { APPDATA: 'C:\\Users\\ada\\AppData\\Roaming', USERPROFILE: 'C:\\Users\\ada' }, 'C:\\Users\\ada\\AppData\\Roaming\\Cursor\\User'],
    ['win32', { USERPROFILE: 'C:\\Users\\ada' }, 'C:\\Users\\ada\\AppData\\Roaming\\Cursor\\User'],
  ])('Cursor user dir on %s with %j', (platform, env, expected) => {
    expect(cursorUserDir(env, platform)).toBe(expected);
  });

  it('lets flags win over the defaults', () => {
    expect(resolveCursorDir('/x/User', { HOME: '/home/ada' }, 'linux')).toBe(path.resolve('/x/User'));
    expect(resolveCursorDir(undefined, { HOME: '/home/ada' }, 'linux')).toBe('/home/ada/.config/Cursor/User');
    expect(resolveCursorCliDir(undefined, { HOME: '/home/ada' }, 'linux')).toBe('/home/ada/.cursor');
    expect(resolveCursorCliDir(undefined, { USERPROFILE: 'C:\\Users\\ada' }, 'win32')).toBe('C:\\Users\\ada\\.cursor');
    expect(resolveCursorCliDir('/c', {}, 'linux')).toBe(path.resolve('/c'));
  });

  it('scans ~/.gemini for Antigravity profiles, adds $AGY_APP_DATA_DIR, and a flag replaces both', () => {
    expect(resolveAntigravityDirs(undefined, { HOME: '/home/ada' }, 'linux')).toEqual(['/home/ada/.gemini']);
    expect(resolveAntigravityDirs(undefined, { HOME: '/home/ada', AGY_APP_DATA_DIR: '/data/agy' }, 'linux')).toEqual(['/home/ada/.gemini', '/data/agy']);
    expect(resolveAntigravityDirs(undefined, { HOME: '/home/ada', AGY_APP_DATA_DIR: 'relative' }, 'linux')).toEqual(['/home/ada/.gemini']);
    expect(resolveAntigravityDirs(undefined, { USERPROFILE: 'C:\\Users\\ada' }, 'win32')).toEqual(['C:\\Users\\ada\\.gemini']);
    expect(resolveAntigravityDirs('/p/antigravity-cli', { HOME: '/home/ada', AGY_APP_DATA_DIR: '/data/agy' }, 'linux')).toEqual([path.resolve('/p/antigravity-cli')]);
  });
});
