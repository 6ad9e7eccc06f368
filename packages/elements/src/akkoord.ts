/**
 * The one-file bundle for `<script type="module" src="akkoord.min.js">`:
 * registers every element (side effects) and exports the public API.
 */
import './privacy-notice/define.js';

export * from './index.js';
