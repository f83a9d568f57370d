export { backupCommands } from './backup-commands.js';
