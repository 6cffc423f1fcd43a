/**
 * Which renderer draws the graph. Cytoscape's WebGL mode needs WebGL 2, and pays only on a GPU: a software
 * rasteriser (SwiftShader, llvmpipe: e.g. headless Chromium without a GPU) draws large scenes slower than the 2D
 * canvas does, so `auto` keeps the canvas there. Pure: the browser is asked by probeWebgl (cytoscape.setup.ts).
 */
import type { RendererChoice } from '../scene/scene-state.ts';

export interface WebglProbe {
  /** WebGL 2 is available at all. */
  available: boolean;
  /** It runs on a GPU (not a software rasteriser). */
  hardware: boolean;
  /** The renderer's name, as the browser tells it. */
  name: string;
}

export const NO_WEBGL: WebglProbe = { available: false, hardware: false, name: '' };

/** True for the names of software rasterisers. */
export function isSoftwareRenderer(name: string): boolean {
  return /swiftshader|llvmpipe|softpipe|software|basic render/i.test(name);
}

/** WebGL for large scenes on a GPU, or when the scene asks for it. */
export function wantsWebgl(probe: WebglProbe, choice: RendererChoice, large: boolean): boolean {
  return probe.available && (choice === 'webgl' || (choice === 'auto' && large && probe.hardware));
}
