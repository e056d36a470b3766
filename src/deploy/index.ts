export { inVmDeployer } from './in-vm.js';
export { inProcessLink } from './in-process-link.js';
